import type { Severity } from "./types.generated.ts";

/** API group of every kube-soar kind. */
export const GROUP = "soar.kube-soar.io";

/** API version of this package's kinds. */
export const VERSION = "v1alpha1";

/** The `apiVersion` field value of every object of this package. */
export const API_VERSION = "soar.kube-soar.io/v1alpha1";

/** Kind names, as written in the `kind` field. */
export const Kind = {
  Playbook: "Playbook",
  Incident: "Incident",
  Connector: "Connector",
  AlertSuppression: "AlertSuppression",
  ThreatFeed: "ThreatFeed",
} as const;
/** One of the kinds of this API version. */
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Resource names (plurals) used in API paths and RBAC rules. */
export const Plural = {
  Playbook: "playbooks",
  Incident: "incidents",
  Connector: "connectors",
  AlertSuppression: "alertsuppressions",
  ThreatFeed: "threatfeeds",
} as const satisfies Record<Kind, string>;

/**
 * The ValidatingAdmissionPolicies of `config/admission` that enforce tenancy in the API server,
 * by what they check; each one's binding has the policy's name. The one home of these names:
 * the operator looks the bindings up by them before it trusts a tenant's object.
 */
export const TenancyPolicy = {
  /** A Connector names only Secrets its writer may get. */
  ConnectorSecrets: "kube-soar-connector-secrets",
  /** A Playbook's Job steps need the writer's rights to create Jobs and use their ServiceAccounts and Secrets. */
  PlaybookJobs: "kube-soar-playbook-jobs",
  /** A new approval names its writer, who may approve; recorded approvals never change. */
  IncidentApprovals: "kube-soar-incident-approvals",
  /** A new AlertSuppression names its writer as `spec.createdBy`, and keeps its `expiresAt` within the bound of its creation. */
  SuppressionAuthor: "kube-soar-alert-suppression-author",
  /** A ThreatFeed names only ConfigMaps and Secrets its writer may get. */
  ThreatFeedSources: "kube-soar-threatfeed-sources",
} as const;
/** The name of one of the tenancy policies and of its binding. */
export type TenancyPolicy = (typeof TenancyPolicy)[keyof typeof TenancyPolicy];

/** The custom RBAC verb on incidents that appending a decision to `spec.approvals` needs. */
export const APPROVE_VERB = "approve";

/** Condition types written to `status.conditions`. */
export const ConditionType = {
  /** The object is valid and fully processed: a Playbook compiled, a Connector usable, an Incident handled. */
  Ready: "Ready",
  /** The controller is working towards the desired state. */
  Reconciling: "Reconciling",
  /** Progress is impossible until the spec changes; no retry happens meanwhile. */
  Stalled: "Stalled",
  /** An Incident waits for a human decision on an approval step. */
  AwaitingApproval: "AwaitingApproval",
} as const;
/** One of the condition types kube-soar writes. */
export type ConditionType = (typeof ConditionType)[keyof typeof ConditionType];

/** Severities from least to most severe; the order is the one {@link compareSeverity} uses. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const satisfies readonly Severity[];

/**
 * Orders severities: negative when `a` is less severe than `b`, zero when equal, positive
 * when more severe. Suitable for `Array.prototype.sort`.
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** True when `value` is one of {@link SEVERITIES}; narrows untrusted strings. */
export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}

/** States a human may set in `Incident.spec.state`, in lifecycle order. */
export const INCIDENT_STATES = ["Open", "Acknowledged", "Resolved", "Closed"] as const;

/** Phases of `Incident.status.phase`: what the automation is doing. */
export const INCIDENT_PHASES = [
  "Pending",
  "Running",
  "AwaitingApproval",
  "Succeeded",
  "Failed",
  "Resolved",
  "Closed",
] as const;

/** Phases of one playbook run of an Incident. */
export const PLAYBOOK_RUN_PHASES = ["Pending", "Running", "AwaitingApproval", "Succeeded", "Failed", "Skipped"] as const;

/** Phases of one step of a playbook run. */
export const STEP_PHASES = [
  "Pending",
  "Running",
  "Succeeded",
  "Failed",
  "Skipped",
  "Waiting",
  "Blocked",
  "TimedOut",
] as const;

/**
 * Kinds of workload an Incident's `spec.resources.workload` may name, as API Kinds: the
 * reference is written `<Kind>/<name>`, such as `Deployment/web`.
 */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;

/** Decisions on an approval step. */
export const APPROVAL_DECISIONS = ["approve", "reject"] as const;

/** Producers an Incident may come from; `manual` is an Incident declared by a person. */
export const ALERT_SOURCE_KINDS = ["falco", "alertmanager", "cloudevent", "manual"] as const;

/** Whether the alert behind an Incident still fires, as its source last reported. */
export const ALERT_STATUSES = ["firing", "resolved"] as const;

/** Kinds of indicator extracted from an Incident's event. */
export const OBSERVABLE_TYPES = ["ip", "domain", "hash", "user", "process", "url"] as const;

/** Types of an Incident timeline entry, the same as Kubernetes Event types. */
export const TIMELINE_ENTRY_TYPES = ["Normal", "Warning"] as const;

/** Kinds of outbound integration a Connector describes. */
export const CONNECTOR_TYPES = ["http", "slack", "pagerduty", "webhook"] as const;

/** HTTP methods a Connector may use. */
export const CONNECTOR_METHODS = ["POST", "PUT", "PATCH", "GET"] as const;

/** How a Connector authenticates its calls. */
export const CONNECTOR_AUTH_TYPES = ["bearer", "basic", "header", "hmac"] as const;

/**
 * Kinds of indicator a ThreatFeed may hold: IPv4 and IPv6 addresses (and CIDR ranges), domains,
 * URLs, and SHA-256, SHA-1 and MD5 hashes.
 */
export const THREAT_INDICATOR_TYPES = ["ipv4", "ipv6", "domain", "url", "sha256", "sha1", "md5"] as const;

/** How the text of a ThreatFeed's source is written. */
export const THREAT_FEED_FORMATS = ["list", "csv", "stix2"] as const;

/** Label keys kube-soar puts on the objects it creates, so they map back to their origin. */
export const Label = {
  /** Name of the Incident an object was created for. */
  Incident: "soar.kube-soar.io/incident",
  /** Name of the Playbook an object was created for. */
  Playbook: "soar.kube-soar.io/playbook",
  /** Name of the step an object was created for. */
  Step: "soar.kube-soar.io/step",
  /** Marks a Pod isolated by the `isolatePod` action; the isolation NetworkPolicy selects it. */
  Isolated: "soar.kube-soar.io/isolated",
} as const;

/**
 * Annotation keys kube-soar puts on the objects it creates, and on the objects its actions change
 * (in the same write as the change, so that a step re-run after a crash rebuilds the same undo
 * record).
 */
export const Annotation = {
  /** Deterministic id of the step attempt that created the object. */
  Intent: "soar.kube-soar.io/intent",
  /** Attempt number of the step that created the object. */
  Attempt: "soar.kube-soar.io/attempt",
  /** JSON object: label key → the value before kube-soar changed it (null: absent). */
  PreviousLabels: "soar.kube-soar.io/previous-labels",
  /** JSON object: annotation key → the value before kube-soar changed it (null: absent). */
  PreviousAnnotations: "soar.kube-soar.io/previous-annotations",
  /** `<namespace>/<name>` of the Incident whose step cordoned the Node. */
  CordonedBy: "soar.kube-soar.io/cordoned-by",
} as const;

/** Label and annotation keys under this prefix belong to kube-soar; the label and annotate actions refuse them. */
export const RESERVED_KEY_PREFIX = `${GROUP}/`;

/** The well-known label naming the tool that manages an object; on every object kube-soar creates. */
export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

/** kube-soar's value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY = "kube-soar";
