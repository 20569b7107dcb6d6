import { ApiException } from "@kubernetes/client-node";

const reasonPattern = /^[A-Z][A-Za-z0-9]*$/;

function checkedReason(kind: string, reason: string): string {
  if (!reasonPattern.test(reason)) {
    throw new TypeError(`${kind}: reason must be PascalCase (letters and digits, starting with a capital), got ${JSON.stringify(reason)}`);
  }
  return reason;
}

/** Options of a {@link TransientError}. */
export interface ReconcileErrorOptions {
  /** The underlying error, kept for logs. */
  cause?: unknown;
}

/**
 * A failure that may go away by itself (API conflict, throttling, a dependency down): the
 * controller requeues the key with per-key exponential backoff. `reason` is PascalCase.
 */
export class TransientError extends Error {
  override readonly name = "TransientError";
  readonly reason: string;

  constructor(reason: string, message: string, options: ReconcileErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.reason = checkedReason("TransientError", reason);
  }
}

/**
 * How a failed Kubernetes API call should be treated:
 * - `transient`: conflict (409), throttling (429), server errors (5xx), timeouts and network
 *   failures: retry with backoff;
 * - `not-found`: 404;
 * - `forbidden`: 403 (RBAC must change);
 * - `unauthorized`: 401 (credentials must change);
 * - `invalid`: the request itself is wrong (400, 405, 406, 413, 415, 422 and 410 outside
 *   of a watch): retrying the same request cannot succeed;
 * - `unknown`: anything else, including errors that did not come from an API call.
 */
export type ApiErrorKind = "transient" | "not-found" | "forbidden" | "unauthorized" | "invalid" | "unknown";

const networkErrorCodes: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ERR_STREAM_PREMATURE_CLOSE",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED",
]);

const interruptedErrorNames: ReadonlySet<string> = new Set(["AbortError", "TimeoutError"]);

/** The HTTP status of a failed API call, or undefined when the error did not come with one. */
export function apiErrorStatus(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

function isNetworkError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === "string" && networkErrorCodes.has(code)) return true;
  if (interruptedErrorNames.has(error.name)) return true;
  return isNetworkError(error.cause, depth + 1);
}

function kindOfStatus(status: number): ApiErrorKind {
  if (status === 404) return "not-found";
  if (status === 403) return "forbidden";
  if (status === 401) return "unauthorized";
  if (status === 409 || status === 429 || status === 408 || status >= 500) return "transient";
  if (status >= 400) return "invalid";
  return "unknown";
}

/**
 * Classifies an error thrown by a client-node API call (or by this package's watch client) by
 * its HTTP status or network error code, never by its message.
 */
export function classifyApiError(error: unknown): ApiErrorKind {
  const status = apiErrorStatus(error);
  if (status !== undefined) return kindOfStatus(status);
  return isNetworkError(error) ? "transient" : "unknown";
}

/** True when the API answered 404 Not Found. */
export function isNotFound(error: unknown): boolean {
  return apiErrorStatus(error) === 404;
}

/** True when the API answered 409 Conflict (a stale resourceVersion or an existing name). */
export function isConflict(error: unknown): boolean {
  return apiErrorStatus(error) === 409;
}

/** True when the API answered 403 Forbidden. */
export function isForbidden(error: unknown): boolean {
  return apiErrorStatus(error) === 403;
}

/** True when the API answered 410 Gone (an expired resourceVersion or continue token). */
export function isGone(error: unknown): boolean {
  return apiErrorStatus(error) === 410;
}
