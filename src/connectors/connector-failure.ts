import { boundText, MAX_MESSAGE_CHARS } from "../actions/output-bounds.ts";

/**
 * Why a call failed. PascalCase, usable as condition and Event reasons.
 * - `InvalidSpec`: the Connector's spec cannot be used (names the field);
 * - `InvalidRequest`: the step's body or message cannot be sent (for example, not JSON);
 * - `SecretNotFound`: a referenced Secret or key is missing;
 * - `SecretForbidden`: the operator may not read a referenced Secret (RBAC);
 * - `SecretUnavailable`: the API server could not be asked for a Secret;
 * - `Timeout`: the last attempt exceeded the Connector's timeout;
 * - `NetworkError`: the connection failed;
 * - `TLSError`: the server's certificate was not trusted, or the handshake failed;
 * - `UnexpectedStatus`: the endpoint answered with a status outside the accepted ones;
 * - `RetryAfterTooLong`: the endpoint asked to wait longer than the operator waits in a call;
 * - `Aborted`: the caller cancelled the call.
 */
export type ConnectorFailureReason =
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
  | "Aborted";

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
    message: boundText(message, MAX_MESSAGE_CHARS),
    retryable: details.retryable ?? retryable.has(reason),
    attempts: details.attempts ?? 0,
    ...(details.status === undefined ? {} : { status: details.status }),
    ...(details.retryAfterMs === undefined ? {} : { retryAfterMs: details.retryAfterMs }),
  };
}
