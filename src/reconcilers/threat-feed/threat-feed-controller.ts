import { GROUP, Plural, VERSION } from "../../api/v1alpha1/constants.ts";
import type { ThreatFeed } from "../../api/v1alpha1/types.generated.ts";
import { enqueueKeys } from "../../runtime/informer.ts";
import { controllerBase, type ControllerBaseOptions } from "../controller-base.ts";
import type { ManagedController } from "../managed-controller.ts";
import { createStatusWriter } from "../status-writer.ts";
import { watchCollection } from "../watched-collection.ts";
import type { FeedLoadStates } from "./feed-load-state.ts";
import { ThreatFeedReconciler } from "./threat-feed-reconciler.ts";

/** Name of the controller in metrics and logs. */
export const THREAT_FEED_CONTROLLER = "threatfeed";

/** What the ThreatFeed controller is built from; everything is injected. */
export interface ThreatFeedControllerOptions extends ControllerBaseOptions {
  /** The loader of this replica, whose outcomes the controller writes into status. */
  readonly threatFeeds: FeedLoadStates;
}

/**
 * The ThreatFeed controller of a leadership term: a cache of ThreatFeeds and a keyed queue fed by
 * their changes and by every load the replica's loader finishes, running the
 * {@link ThreatFeedReconciler}, which writes the feed's status from the loader's state.
 */
export function createThreatFeedController(options: ThreatFeedControllerOptions): ManagedController {
  const feeds = watchCollection<ThreatFeed>(
    options.informers,
    { resource: Plural.ThreatFeed, group: GROUP, version: VERSION, plural: Plural.ThreatFeed },
    options.options.watchNamespaces,
  );
  const { events, queue, managed } = controllerBase(THREAT_FEED_CONTROLLER, options);
  const reconciler = new ThreatFeedReconciler({
    feed: (namespace, name) => feeds.get(namespace, name),
    states: options.threatFeeds,
    writeStatus: createStatusWriter(options.kubeConfig, Plural.ThreatFeed),
    events,
    clock: options.clock,
  });
  feeds.addEventHandler(enqueueKeys<ThreatFeed>(queue));
  return managed({
    reconcile: (key, context) => reconciler.reconcile(key, context),
    caches: [feeds],
    whileRunning: () => options.threatFeeds.onChange((key) => { queue.add(key); }),
  });
}
