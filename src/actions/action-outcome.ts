import { ApiException } from "@kubernetes/client-node";
import { ACTION_CATALOG, actionFamilyOf, actionFamilyToggle, type ActionRoleName, type ActionType, type Reason } from "../api/v1alpha1/index.ts";
import { classifyApiError } from "../runtime/errors.ts";
import { boundText, MAX_MESSAGE_LENGTH } from "../api/v1alpha1/bounds.ts";
import type { UndoRecord } from "./undo-record.ts";

/**
 * Why an action failed (each documented in {@link Reason}): `InvalidTarget` and `InvalidParams`
 * name the field at fault; `NotFound`, `Forbidden`, `ProtectedNode` and `ApiRejected` need a
 * change elsewhere;
 * `Conflict`, `ApiUnavailable`, `PodDisruptionBudget`, `MinHealthyReplicas` and
 * `LogsUnavailable` may pass on a later attempt; `IsolationIneffective` cannot.
 */
export type ActionFailureReason = Extract<
  Reason,
  | "InvalidTarget"
  | "InvalidParams"
  | "NotFound"
  | "Forbidden"
  | "ProtectedNode"
  | "MinHealthyReplicas"
  | "PodDisruptionBudget"
  | "IsolationIneffective"
  | "LogsUnavailable"
  | "Conflict"
  | "ApiUnavailable"
  | "ApiRejected"
>;

/** A failed action, as a value. `retryable` says whether running the step again may succeed. */
export interface ActionFailure {
  readonly ok: false;
  readonly reason: ActionFailureReason;
  /** One line naming the field, object or permission at fault; never contains a secret. */
  readonly message: string;
  readonly retryable: boolean;
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

/** A successful undo (including "nothing left to revert"), as one line for the timeline. */
export interface UndoSuccess {
  readonly ok: true;
  readonly message: string;
}

/** What running an undo yields; failures are values, as for actions. */
export type UndoOutcome = UndoSuccess | ActionFailure;

const retryableReasons: ReadonlySet<ActionFailureReason> = new Set([
  "Conflict",
  "ApiUnavailable",
  "PodDisruptionBudget",
  "MinHealthyReplicas",
  "LogsUnavailable",
]);

/** Builds a failure; the message is bounded to what a step status message holds. */
export function actionFailure(reason: ActionFailureReason, message: string): ActionFailure {
  return { ok: false, reason, message: boundText(message, MAX_MESSAGE_LENGTH), retryable: retryableReasons.has(reason) };
}

/**
 * The `message` of the Kubernetes `Status` an API error carried, or a generic text naming the
 * HTTP status. Never the raw exception message, which embeds response headers.
 */
export function apiStatusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) {
    return error instanceof Error ? `${error.name}: request failed` : "request failed";
  }
  const body: unknown = error.body;
  let status: unknown = body;
  if (typeof body === "string") {
    try {
      status = JSON.parse(body) as unknown;
    } catch {
      status = undefined;
    }
  }
  if (typeof status === "object" && status !== null) {
    const message = (status as { message?: unknown }).message;
    if (typeof message === "string" && message !== "") return message;
  }
  return `the API server answered HTTP ${error.code}`;
}

/** What a failed API call was trying to do, for the failure message. */
export interface ApiCallDescription {
  readonly action: ActionType;
  /** For example `patch node worker-1` or `create networkpolicy shop/soar-isolate-web-0`. */
  readonly operation: string;
}

/**
 * What grants an action family's rights in both installs: config/rbac's ClusterRole, and the
 * Helm value that renders it under the release's name.
 */
function missingRoleAdvice(role: ActionRoleName): string {
  return `grant the operator's ServiceAccount the rules of the ClusterRole ${role} (config/rbac; Helm value rbac.actions.${actionFamilyToggle(actionFamilyOf(role))})`;
}

/**
 * Turns an error thrown by a client-node call into a failure value, by HTTP status (never by
 * message text): 403 names the ClusterRole the action needs, 404 the missing object, 409 is a
 * retryable conflict, 429/5xx/network errors are retryable, other 4xx are rejections.
 */
export function failureFromApiError(error: unknown, call: ApiCallDescription): ActionFailure {
  const detail = apiStatusMessage(error);
  switch (classifyApiError(error)) {
    case "forbidden":
      return actionFailure(
        "Forbidden",
        `${call.action}: ${call.operation} is forbidden (${detail}); ${missingRoleAdvice(ACTION_CATALOG[call.action].role)}`,
      );
    case "not-found":
      return actionFailure("NotFound", `${call.action}: ${call.operation}: not found (${detail})`);
    case "transient":
      return error instanceof ApiException && error.code === 409
        ? actionFailure("Conflict", `${call.action}: ${call.operation}: the object changed meanwhile (${detail})`)
        : actionFailure("ApiUnavailable", `${call.action}: ${call.operation} failed, retryable (${detail})`);
    case "invalid":
    case "unauthorized":
      return actionFailure("ApiRejected", `${call.action}: ${call.operation} was rejected (${detail})`);
    case "unknown":
      return actionFailure("ApiUnavailable", `${call.action}: ${call.operation} failed (${detail})`);
  }
}
