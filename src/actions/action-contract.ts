import type { AppsV1Api, CoreV1Api, NetworkingV1Api } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { ACTION_TARGET_KINDS, ACTION_TYPES } from "../api/v1alpha1/constants.ts";
import type { AffectedResources } from "../api/v1alpha1/types.generated.ts";
import type { ActionFailure } from "./action-failure.ts";
import type { UndoRecord } from "./undo-record.ts";

/** One of the built-in actions a Playbook step may take. */
export type ActionType = (typeof ACTION_TYPES)[number];

/** Kinds of object an action may target. */
export type ActionTargetKind = (typeof ACTION_TARGET_KINDS)[number];

/** The typed Kubernetes API clients actions use, all built from the operator's KubeConfig. */
export interface ActionClients {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly networking: NetworkingV1Api;
}

/** The Incident an action runs for. */
export interface ActionIncident {
  readonly namespace: string;
  readonly name: string;
  /** The objects the Incident is about, as intake pinned them in `spec.resources`. */
  readonly resources?: AffectedResources;
}

/**
 * The object an action applies to, after defaults from the Incident were filled in and the
 * names validated. `namespace` is absent exactly when `kind` is `Node` (cluster-scoped).
 */
export interface ResolvedTarget {
  readonly kind: ActionTargetKind;
  readonly namespace?: string;
  readonly name: string;
}

/** Everything an action needs, passed in by the step engine. */
export interface ActionContext {
  readonly clients: ActionClients;
  /** Namespace of the Playbook whose step runs the action (tenancy is checked by the guards). */
  readonly playbookNamespace: string;
  readonly incident: ActionIncident;
  readonly target: ResolvedTarget;
  /** Rendered step parameters. */
  readonly params: Readonly<Record<string, string>>;
  /**
   * Send every write with the API server's `dryRun=All`: admission and RBAC run, nothing is
   * persisted, and the outcome says what would have changed.
   */
  readonly dryRun: boolean;
  readonly logger: Logger;
}

/** A successful (or already applied) action. */
export interface ActionSuccess {
  readonly ok: true;
  /** Bounded outputs (at most 16 entries of at most 2048 characters), for `steps.<name>.outputs`. */
  readonly outputs: Record<string, string>;
  /** One line for the step's status message. */
  readonly message: string;
  /** True when the object was already in the requested state and nothing was written. */
  readonly alreadyApplied: boolean;
  /** How to revert the action; absent when there is nothing kube-soar may revert. */
  readonly undo?: UndoRecord;
}

/** What running an action yields: success, or a failure as a value with its reason. */
export type ActionOutcome = ActionSuccess | ActionFailure;

/**
 * A built-in action. `execute` is idempotent by construction: running it again converges on
 * the same state and reports `alreadyApplied`; it never throws for API or input errors.
 */
export interface ActionDefinition {
  readonly type: ActionType;
  /** Target kinds the action accepts; the first one is the default. */
  readonly targetKinds: readonly ActionTargetKind[];
  /** Whether `execute` may return an undo record. */
  readonly reversible: boolean;
  /** Whether the default approval policy requires an approval step before this action. */
  readonly destructive: boolean;
  execute(context: ActionContext): Promise<ActionOutcome>;
}

/** What an undo needs: the API clients, dry-run, and a logger. */
export interface UndoContext {
  readonly clients: ActionClients;
  /** Send every write with `dryRun=All`. */
  readonly dryRun: boolean;
  readonly logger: Logger;
}

/** A successful undo (including "nothing left to revert"), as one line for the timeline. */
export interface UndoSuccess {
  readonly ok: true;
  readonly message: string;
}

/** What running an undo yields; failures are values, as for actions. */
export type UndoOutcome = UndoSuccess | ActionFailure;
