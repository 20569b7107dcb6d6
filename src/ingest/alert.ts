import type { AffectedResources, AlertSourceKind, AlertStatus, Observable, Severity } from "../api/v1alpha1/index.ts";

/** The producer families intake normalises alerts from: every Incident source but a person. */
export const ALERT_KINDS = ["falco", "alertmanager", "cloudevent"] as const satisfies readonly AlertSourceKind[];

/** The producer family an alert was normalised from. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/**
 * The most observables intake keeps from one alert. Smaller than the schema's `MAX_OBSERVABLES`
 * (64), the most an Incident keeps over all its occurrences: one alert's observables always fit
 * in the Incident opened for it, with room left for those of alerts folded into it later.
 */
export const MAX_ALERT_OBSERVABLES = 32;

/**
 * The one internal form of an alert, whatever its producer and transport: the contract
 * between intake, the Incident writer and the Playbook matcher. Everything in it has been
 * validated, redacted and bounded; nothing in it is ever interpreted as a template or command.
 */
export interface Alert {
  /**
   * The CloudEvent id; with `source`, identifies a delivery (redeliveries repeat both). A Falco
   * alert carrying Falcosidekick's `uuid` has that uuid as id and `https://falco.org` as source,
   * whichever output delivered it (see identity/event-hash.ts).
   */
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
  /** 64 lower-case hex digits identifying the alerted condition, not the delivery (see identity/alert-fingerprint.ts). */
  readonly fingerprint: string;
  /**
   * Kubernetes objects the alert is about. Every value present is syntactically valid for its
   * kind (DNS-1123 names, an image reference, a workload as `<Kind>/<name>` with the API Kind,
   * such as `Deployment/web`), so actions may use them as object names; a value that was not
   * valid in the alert is simply absent.
   */
  readonly resources: Readonly<AffectedResources>;
  /** At most `MAX_ALERT_OBSERVABLES`, each valid for its type, no two alike. */
  readonly observables: readonly Readonly<Observable>[];
  /** Producer labels (Falco rule, priority, source, tags, hostname; Alertmanager labels), bounded. */
  readonly labels: Readonly<Record<string, string>>;
  /** CloudEvents extension attributes, as strings. */
  readonly extensions: Readonly<Record<string, string>>;
  /** The event data after redaction and bounding; `null` when the event had none. */
  readonly data: unknown;
  /** True when `data` had to be shortened to fit the size bound. */
  readonly dataTruncated: boolean;
}
