/** Severities, least severe first. */
export const SEVERITIES = ["info", "low", "medium", "high", "critical"] as const;

/** How bad an alert is, on one scale for every producer. */
export type Severity = (typeof SEVERITIES)[number];

/** The producer family an alert was normalised from. */
export const ALERT_KINDS = ["falco", "alertmanager", "cloudevent"] as const;

/** The producer family an alert was normalised from. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Whether the condition an alert reports is ongoing or over. */
export type AlertStatus = "firing" | "resolved";

/** The kinds of indicator intake extracts from alerts. */
export const OBSERVABLE_TYPES = ["ip", "domain", "hash", "user", "process", "url"] as const;

/** The kind of an indicator. */
export type ObservableType = (typeof OBSERVABLE_TYPES)[number];

/** An indicator whose value passed the syntax check of its type (an `ip` parses as an IP address). */
export interface Observable {
  readonly type: ObservableType;
  readonly value: string;
}

/** The most observables one alert carries. */
export const MAX_OBSERVABLES = 32;

/**
 * Kubernetes objects an alert is about. Every value present is syntactically valid for its
 * kind (DNS-1123 names, an image reference, `<Kind>/<name>` for a workload), so actions may
 * use them as object names; a value that was not valid in the alert is simply absent.
 */
export interface AlertResources {
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
  readonly node?: string;
  readonly image?: string;
  /** `<Kind>/<name>` with the API Kind (`Deployment/web`), the kind one of `WORKLOAD_KINDS`: the form actions read. */
  readonly workload?: string;
}

/**
 * The one internal form of an alert, whatever its producer and transport: the contract
 * between intake, the Incident writer and the Playbook matcher. Everything in it has been
 * validated, redacted and bounded; nothing in it is ever interpreted as a template or command.
 */
export interface Alert {
  /** The CloudEvent id; with `source`, identifies a delivery (redeliveries repeat both). */
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  /** RFC 3339: the event's own time, or when intake received it if the event had none. */
  readonly time: string;
  readonly specversion: "1.0";
  readonly kind: AlertKind;
  readonly status: AlertStatus;
  readonly severity: Severity;
  /** At most 256 UTF-16 units, no control, bidi or zero-width characters, never empty. */
  readonly title: string;
  /** 64 lower-case hex digits identifying the alerted condition, not the delivery (see fingerprint.ts). */
  readonly fingerprint: string;
  readonly resources: AlertResources;
  /** At most `MAX_OBSERVABLES`, no two alike. */
  readonly observables: readonly Observable[];
  /** Producer labels (Falco rule, priority, source, tags, hostname; Alertmanager labels), bounded. */
  readonly labels: Readonly<Record<string, string>>;
  /** CloudEvents extension attributes, as strings. */
  readonly extensions: Readonly<Record<string, string>>;
  /** The event data after redaction and bounding; `null` when the event had none. */
  readonly data: unknown;
  /** True when `data` had to be shortened to fit the size bound. */
  readonly dataTruncated: boolean;
}
