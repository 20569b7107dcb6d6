import { createConnectorController } from "./connector/connector-controller.ts";
import { createIncidentController, type IncidentControllerOptions } from "./incident/incident-controller.ts";
import type { ManagedController } from "./managed-controller.ts";
import { createPlaybookController, type PlaybookControllerOptions } from "./playbook/playbook-controller.ts";
import { createSuppressionController, type SuppressionControllerOptions } from "./alert-suppression/suppression-controller.ts";
import type { FeedLoadStates } from "./threat-feed/feed-load-state.ts";
import { createThreatFeedController } from "./threat-feed/threat-feed-controller.ts";

/**
 * What the operator's controllers are built from: the options every controller takes, the
 * Playbook compiler they share with intake, where lifecycle events are published, the replica's
 * ThreatFeed loader (without it no ThreatFeed controller is built), and the step kinds and test
 * hooks when replaced.
 */
export type OperatorControllersOptions = Omit<IncidentControllerOptions, "jobs" | "events" | "agents" | "actionClients" | "options"> &
  Pick<PlaybookControllerOptions, "stepKinds"> & {
    readonly options: IncidentControllerOptions["options"] & SuppressionControllerOptions["options"];
    readonly threatFeeds?: FeedLoadStates;
  };

/** The operator's controllers, by what they reconcile. */
export interface OperatorControllers {
  readonly playbook: ManagedController;
  readonly incident: ManagedController;
  readonly connector: ManagedController;
  readonly suppression: ManagedController;
  /** Built when the options name the replica's ThreatFeed loader. */
  readonly threatFeed: ManagedController | undefined;
  /** Every one built, in the order they were built. */
  readonly all: readonly ManagedController[];
}

/**
 * Builds the Playbook, Incident, Connector, AlertSuppression and (with a loader) ThreatFeed
 * controllers of one leadership term on one shared informer factory (their caches are
 * registered, nothing is started): the one wiring of the operator, used by the process and by the
 * tests that run the controllers.
 */
export function buildControllers(options: OperatorControllersOptions): OperatorControllers {
  const { hooks, stepKinds, lifecycleEvents, threatFeeds, ...common } = options;
  const playbook = createPlaybookController({ ...common, ...(stepKinds === undefined ? {} : { stepKinds }) });
  const incident = createIncidentController({ ...common, lifecycleEvents, ...(hooks === undefined ? {} : { hooks }) });
  const connector = createConnectorController(common);
  const suppression = createSuppressionController(common);
  const threatFeed = threatFeeds === undefined ? undefined : createThreatFeedController({ ...common, threatFeeds });
  return {
    playbook,
    incident,
    connector,
    suppression,
    threatFeed,
    all: [playbook, incident, connector, suppression, ...(threatFeed === undefined ? [] : [threatFeed])],
  };
}
