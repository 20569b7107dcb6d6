import type { Reason } from "../api/v1alpha1/reasons.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";

/**
 * Why a call failed (each documented in {@link Reason}): `InvalidSpec` and `InvalidRequest` name
 * what cannot be sent; the `Secret*` reasons name the Secret; `Timeout`, `NetworkError`,
 * `TLSError`, `UnexpectedStatus` and `RetryAfterTooLong` describe the endpoint's answer (or its
 * absence); `DestinationRefused` is the operator's destination policy refusing the address;
 * `Aborted` is the caller's cancellation.
 */
export type ConnectorFailureReason = Extract<
  Reason,
  | "InvalidSpec"
  | "InvalidRequest"
  | "SecretNotFound"
  | "SecretForbidden"
  | "SecretUnavailable"
  | "Timeout"
  | "NetworkError"
  | "TLSError"
  | "UnexpectedStatus"
  | "RetryAfterTooLong"
  | "DestinationRefused"
  | "Aborted"
>;

/** A failed call. `retryable` says whether calling again later may succeed. */
export interface ConnectorFailure {
  readonly ok: false;
  readonly reason: ConnectorFailureReason;
  /** One line naming the Connector and the cause; never a credential or a secret URL. */
  readonly message: string;
  readonly retryable: boolean;
  /** Requests sent, retries included. */
  readonly attempts: number;
  /** HTTP status of the last response, when there was one. */
  readonly status?: number;
  /** How long the endpoint asked to wait, when it said so. */
  readonly retryAfterMs?: number;
}

const retryable: ReadonlySet<ConnectorFailureReason> = new Set(["SecretUnavailable", "Timeout", "NetworkError", "RetryAfterTooLong"]);

/** Builds a failure with a bounded message; retryability follows the reason unless given. */
export function connectorFailure(
  reason: ConnectorFailureReason,
  message: string,
  details: { attempts?: number; status?: number; retryAfterMs?: number; retryable?: boolean } = {},
): ConnectorFailure {
  return {
    ok: false,
    reason,
    message: boundText(message, MAX_MESSAGE_LENGTH),
    retryable: details.retryable ?? retryable.has(reason),
    attempts: details.attempts ?? 0,
    ...(details.status === undefined ? {} : { status: details.status }),
    ...(details.retryAfterMs === undefined ? {} : { retryAfterMs: details.retryAfterMs }),
  };
}
