/**
 * Every reason kube-soar writes where a user sees it: condition reasons, Event reasons, Incident
 * timeline reasons, the reason a failed step names in its message, and the reason of a retried
 * reconcile error in the logs. Each is PascalCase and matches the metav1.Condition reason
 * pattern, so any of them may serve as a condition reason and as an Event reason.
 *
 * The narrower sets code works with (`IncidentReason`, `PlaybookReason`, `GuardReason`, the
 * failure reasons of actions and connectors) are subsets of this one, never new strings.
 * Intake's refusal reasons (`ingest/rejection.ts`) are not here: they are kebab-case metric labels
 * and dead-letter reasons, never written to a Kubernetes object.
 */
export const Reason = {
  // Readiness of any kind (conditions).

  /** The spec was fully processed and the object is ready. */
  Succeeded: "Succeeded",
  /** The controller is working on the current generation. */
  Progressing: "Progressing",
  /** The spec is unusable in a way the schema cannot express; the message names the field. */
  InvalidSpec: "InvalidSpec",
  /** A CEL expression or `${{ }}` template does not compile. */
  InvalidExpression: "InvalidExpression",

  // Playbook readiness.

  /** The steps' `needs` name unknown steps, the step itself, or form a cycle; or names repeat. */
  InvalidStepGraph: "InvalidStepGraph",
  /** A step of a kind this operator cannot execute yet. */
  StepKindUnavailable: "StepKindUnavailable",
  /** A referenced Connector does not exist (a Playbook's step, or a connector step's call). */
  ConnectorNotFound: "ConnectorNotFound",
  /** A referenced ServiceAccount does not exist in the Playbook's namespace. */
  ServiceAccountNotFound: "ServiceAccountNotFound",
  /**
   * A warning, not a readiness problem: a `${{ }}` value is inserted into a Job step's shell
   * script (`sh -c`) where the shell would run it as code.
   */
  TemplateInShellScript: "TemplateInShellScript",

  // Connector readiness and the Secrets a call reads.

  /** A referenced Secret or Secret key does not exist. */
  SecretNotFound: "SecretNotFound",
  /** The operator may not read a referenced Secret (its RBAC lacks `get` on Secrets there). */
  SecretForbidden: "SecretForbidden",
  /** A referenced Secret could not be read because the API server did not answer; retried. */
  SecretUnavailable: "SecretUnavailable",

  // AlertSuppression readiness: whether it silences alerts now.

  /** The suppression silences matching alerts until its `expiresAt`. */
  Active: "Active",
  /** The suppression's `expiresAt` has passed: it silences nothing any more. */
  Expired: "Expired",
  /**
   * The suppression's `expiresAt` lies further after its creation than the operator allows
   * (`--suppression-max-duration`): it silences nothing.
   */
  ExpiryTooFar: "ExpiryTooFar",

  // Incident: its runs and its conditions.

  /** A playbook run was pinned to a Playbook generation and started. */
  RunStarted: "RunStarted",
  /** A run is waiting for its Playbook to become Ready. */
  PlaybookNotReady: "PlaybookNotReady",
  /** A Playbook named by the Incident does not exist. */
  PlaybookNotFound: "PlaybookNotFound",
  /** The Playbook changed (or was recreated) while a run pinned to it was in progress. */
  PlaybookChanged: "PlaybookChanged",
  /** The Playbook is suspended. */
  Suspended: "Suspended",
  /** The operator is paused: no new step starts. */
  Paused: "Paused",
  /** The Incident names no playbook: there is nothing to run. */
  NoPlaybooks: "NoPlaybooks",
  /** Every playbook run of an Incident finished successfully. */
  RunsSucceeded: "RunsSucceeded",
  /** A playbook run of an Incident failed. */
  RunFailed: "RunFailed",
  /** The Incident was resolved. */
  Resolved: "Resolved",
  /** The Incident was closed. */
  Closed: "Closed",

  // Guard refusals: of a run at its start, or of a step by the guard chain.

  /** A run was not started (Skipped) because the Playbook's `rateLimit` was reached. */
  RateLimited: "RateLimited",
  /**
   * A run was not started (Skipped) because the Playbook already has `maxActiveIncidents`
   * active Incidents (see `isActiveFor` in `lifecycle.ts`).
   */
  TooManyActiveIncidents: "TooManyActiveIncidents",
  /** A guard refused an action on an object in a protected namespace. */
  ProtectedNamespace: "ProtectedNamespace",
  /**
   * An action on a Node that the operator's protected-nodes selector (`--protected-node-selector`,
   * control-plane nodes by default) selects was refused.
   */
  ProtectedNode: "ProtectedNode",
  /** A guard refused an action outside the Playbook's own namespace. */
  TenancyViolation: "TenancyViolation",
  /**
   * A tenant's Playbook or Connector uses what only the tenancy admission policies vouch for
   * (Job steps, Secrets), and the operator cannot tell that the policy checked its last write:
   * the policy's binding is missing, or the object was last written before it was installed.
   */
  TenancyUnverified: "TenancyUnverified",
  /** A guard refused a destructive action without an approved approval step among its needs. */
  ApprovalRequired: "ApprovalRequired",
  /** A dry run: the step was planned and rendered, not executed. */
  DryRun: "DryRun",

  // Steps.

  /** A step started. */
  StepStarted: "StepStarted",
  /** A step succeeded. */
  StepSucceeded: "StepSucceeded",
  /** A step failed after its retries. */
  StepFailed: "StepFailed",
  /** A step exceeded its timeout. */
  StepTimedOut: "StepTimedOut",
  /** A step was skipped (its `when` is false, or a step it needs did not succeed). */
  StepSkipped: "StepSkipped",
  /** A step attempt failed and another attempt is scheduled. */
  StepRetrying: "StepRetrying",
  /** A step's outcome is unknown after a restart and it is not safe to retry. */
  OutcomeUnknown: "OutcomeUnknown",
  /** A dry-run step was planned and rendered; nothing was created or called. */
  DryRunRendered: "DryRunRendered",
  /** An approval step waits for a decision. */
  ApprovalPending: "ApprovalPending",
  /** An approval step was approved. */
  Approved: "Approved",
  /** An approval step was rejected. */
  Rejected: "Rejected",
  /** An approval step timed out. */
  ApprovalTimedOut: "ApprovalTimedOut",

  // Undo of reversible actions.

  /** A reversible action was undone. */
  Reverted: "Reverted",
  /** Undoing a reversible action failed; the step's `undo` records why. */
  RevertFailed: "RevertFailed",
  /** A step's `undo` record cannot be read, so there is nothing to undo with. */
  InvalidUndo: "InvalidUndo",

  // Why an action failed (the failed step's timeline entry and Event).

  /** The step's target is wrong; the message names the field. */
  InvalidTarget: "InvalidTarget",
  /** The step's params are wrong; the message names the field. */
  InvalidParams: "InvalidParams",
  /** The target (or an object it depends on) does not exist. */
  NotFound: "NotFound",
  /** The operator lacks a permission; the message names the ClusterRole to bind. */
  Forbidden: "Forbidden",
  /** Deleting the Pod would leave its workload with too few ready replicas. */
  MinHealthyReplicas: "MinHealthyReplicas",
  /** The Eviction API refused (HTTP 429) to break a PodDisruptionBudget. */
  PodDisruptionBudget: "PodDisruptionBudget",
  /** A NetworkPolicy cannot isolate the Pod (it uses the host network). */
  IsolationIneffective: "IsolationIneffective",
  /** The API server could not fetch the container's log. */
  LogsUnavailable: "LogsUnavailable",
  /** The object changed while the action ran; retrying converges. */
  Conflict: "Conflict",
  /** Throttling, server or network errors; retrying may succeed. */
  ApiUnavailable: "ApiUnavailable",
  /** The API server rejected the request as invalid. */
  ApiRejected: "ApiRejected",

  // Why a Connector call failed (besides InvalidSpec and the Secret reasons above).

  /** The step's body or message cannot be sent (for example, not JSON). */
  InvalidRequest: "InvalidRequest",
  /** The last attempt exceeded the Connector's timeout. */
  Timeout: "Timeout",
  /** The connection failed. */
  NetworkError: "NetworkError",
  /** The server's certificate was not trusted, or the handshake failed. */
  TLSError: "TLSError",
  /** The endpoint answered with a status outside the accepted ones. */
  UnexpectedStatus: "UnexpectedStatus",
  /** The endpoint asked to wait longer than the operator waits in a call. */
  RetryAfterTooLong: "RetryAfterTooLong",
  /** The caller cancelled the call. */
  Aborted: "Aborted",
  /**
   * The operator's destination policy refuses the address the Connector's URL names or resolves
   * to (loopback, link-local, private, the API server, the operator itself, or a denied block);
   * the message names the address and the rule. Not retried.
   */
  DestinationRefused: "DestinationRefused",

  // ThreatFeed readiness (besides InvalidSpec, TenancyUnverified, DestinationRefused and the Secret reasons above).

  /** The feed's indicators were loaded (or its server confirmed them unchanged) and are in use. */
  Loaded: "Loaded",
  /** The feed's ConfigMap or Secret, or the key in it, does not exist. */
  SourceNotFound: "SourceNotFound",
  /**
   * The feed's source could not be read: the URL's connection, TLS handshake or answer failed (a
   * status other than 200 or 304), or the API server did not answer a read of its ConfigMap or
   * Secret. Retried with backoff; the previous indicators stay in use.
   */
  FetchFailed: "FetchFailed",
  /** The feed's text cannot be read in its format as a whole; the previous indicators stay in use. */
  ParseFailed: "ParseFailed",
  /** The body at the feed's URL is larger than `spec.http.maxBytes` (after decompression); the previous indicators stay in use. */
  TooLarge: "TooLarge",

  // Retried reconcile errors (logged with the retry; besides SecretUnavailable and ApiUnavailable).

  /** A status write lost a race with another writer; the reconcile runs again on fresh state. */
  StatusConflict: "StatusConflict",
  /** Creating a step's Job failed in a way that may pass; the reconcile runs again. */
  JobCreateFailed: "JobCreateFailed",
} as const;
/** One of the reasons kube-soar writes. */
export type Reason = (typeof Reason)[keyof typeof Reason];

/**
 * The reasons named by `keys`, with the same values as in {@link Reason}: how a narrower set of
 * reasons is declared without restating a string.
 */
export function reasonsOf<const K extends keyof typeof Reason>(keys: readonly K[]): Pick<typeof Reason, K> {
  return Object.fromEntries(keys.map((key) => [key, Reason[key]])) as Pick<typeof Reason, K>;
}
