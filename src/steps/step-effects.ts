import type { Reason } from "../api/v1alpha1/reasons.ts";
import type { ConnectorPayload } from "../connectors/index.ts";
import type { PreparedAction } from "./action/action-step.ts";
import type { JobManifest } from "./job/job-manifest.ts";

/**
 * What identifies one side effect of an action, connector or notify step: the effects that
 * carry an intent id are exactly those that go through the intent ledger.
 */
export interface EffectBase {
  readonly playbook: string;
  readonly step: string;
  readonly attempt: number;
  /** The step's recorded intent id; also the connector call's Idempotency-Key. */
  readonly intentId: string;
  /** The step's retry settings, applied to the outcome. */
  readonly retry: { readonly retryLimit: number; readonly retryBackoffMs: number; readonly continueOnError: boolean };
}

/** Create (or adopt) the Job of a Job step's intent, recorded under the Job's deterministic name. */
export interface EnsureJobEffect {
  readonly kind: "ensureJob";
  readonly playbook: string;
  readonly step: string;
  readonly attempt: number;
  readonly job: JobManifest;
}

/** Run a built-in action whose intent is durable in status. */
export interface RunActionEffect extends EffectBase {
  readonly kind: "runAction";
  readonly action: PreparedAction;
}

/** Call a Connector (a `connector` or `notify` step) whose intent is durable in status. */
export interface CallConnectorEffect extends EffectBase {
  readonly kind: "callConnector";
  /** Name of the Connector, in the Incident's (and Playbook's) namespace. */
  readonly connector: string;
  readonly payload: ConnectorPayload;
}

/** Any side effect plan asks execute to carry out, always for an intent already durable in status. */
export type StepEffect = EnsureJobEffect | RunActionEffect | CallConnectorEffect;

/**
 * How one side effect ended, as a value: success with bounded outputs and, for a reversible
 * action, the undo record; or a failure with its reason, a message naming the cause
 * (never a secret) and whether a new attempt may succeed.
 */
export type EffectOutcome =
  | { readonly ok: true; readonly message: string; readonly outputs: Readonly<Record<string, string>>; readonly undo?: Record<string, unknown> }
  | { readonly ok: false; readonly reason: Reason; readonly message: string; readonly retryable: boolean };
