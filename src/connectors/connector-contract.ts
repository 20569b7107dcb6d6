import type { ConnectorSpec } from "../api/v1alpha1/types.generated.ts";
import type { RenderedText } from "../expr/index.ts";
import type { ConnectorFailure } from "./connector-failure.ts";
import type { SecretResolver } from "./secret-resolver.ts";

/** The Connector to call: its identity and spec. */
export interface ConnectorRef {
  readonly namespace: string;
  readonly name: string;
  readonly spec: ConnectorSpec;
}

/** The Incident a call is about (PagerDuty's dedup key, summaries, notify envelopes). */
export interface ConnectorIncident {
  readonly namespace: string;
  readonly name: string;
  readonly title?: string;
  readonly severity?: string;
}

/**
 * What to send: a `connector` step's rendered JSON body and parameters, or a `notify` step's
 * rendered message. Body and message keep the values inserted by `${{ }}` apart from the
 * Playbook's own text, so that a connector type with a markup language escapes the values and
 * alert text cannot become markup; `rawMarkup` (the step's opt-out) inserts them as they are.
 */
export type ConnectorPayload =
  | { readonly kind: "body"; readonly body?: RenderedText; readonly params: Readonly<Record<string, string>>; readonly rawMarkup: boolean }
  | { readonly kind: "message"; readonly message: RenderedText; readonly rawMarkup: boolean };

/**
 * A {@link ConnectorPayload} as a connector type builds its request from: body and message as
 * text, the inserted values already written in the type's markup.
 */
export type PayloadText =
  | { readonly kind: "body"; readonly body?: string; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: "message"; readonly message: string };

/** Everything one call needs, passed in by the step engine. */
export interface ConnectorCallContext {
  readonly connector: ConnectorRef;
  /** Resolves the Connector's Secret references at call time (one resolver per call). */
  readonly secrets: SecretResolver;
  readonly payload: ConnectorPayload;
  readonly incident: ConnectorIncident;
  /** Sent as `Idempotency-Key`; the same on every retry of this call. */
  readonly idempotencyKey: string;
  /** Aborts the call, retries and waits included. */
  readonly signal: AbortSignal;
  /** Resolve Secrets and build the request, but send nothing. */
  readonly dryRun?: boolean;
}

/** A call the endpoint accepted. */
export interface ConnectorCallSuccess {
  readonly ok: true;
  /** HTTP status of the accepted response; 0 in dry-run. */
  readonly status: number;
  /** Requests sent, retries included. */
  readonly attempts: number;
  /** Bounded strings derived from the response (at most 16, each at most 2048 characters). */
  readonly outputs: Record<string, string>;
}

/** What a call yields: success, or a failure as a value. */
export type ConnectorCallResult = ConnectorCallSuccess | ConnectorFailure;
