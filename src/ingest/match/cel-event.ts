import type { AlertStatus, Observable, Severity } from "../../api/v1alpha1/index.ts";
import type { Alert, AlertKind } from "../alert.ts";

/** Resource names as CEL sees them: every key present, `""` when unknown. */
export interface CelEventResources {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly node: string;
  readonly image: string;
  readonly workload: string;
}

/**
 * The object Playbook CEL expressions and `${{ }}` templates see as `event`. Every key is
 * always present (strings are `""` when unknown, `data` is `null` when there is none), so
 * expressions need no `has()` guards for the envelope. All values are plain JSON data.
 */
export interface CelEvent {
  readonly specversion: "1.0";
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  /** RFC 3339; use `timestamp(event.time)` to compare. */
  readonly time: string;
  readonly kind: AlertKind;
  readonly status: AlertStatus;
  readonly severity: Severity;
  readonly title: string;
  readonly fingerprint: string;
  readonly data: unknown;
  readonly datatruncated: boolean;
  readonly extensions: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly resources: CelEventResources;
  readonly observables: readonly Observable[];
}

/** Builds the `event` object of CEL evaluation from a finalised alert (no data is copied beyond the alert's own). */
export function toCelEvent(alert: Alert): CelEvent {
  const { resources } = alert;
  return {
    specversion: alert.specversion,
    id: alert.id,
    source: alert.source,
    type: alert.type,
    subject: alert.subject ?? "",
    time: alert.time,
    kind: alert.kind,
    status: alert.status,
    severity: alert.severity,
    title: alert.title,
    fingerprint: alert.fingerprint,
    data: alert.data ?? null,
    datatruncated: alert.dataTruncated,
    extensions: alert.extensions,
    labels: alert.labels,
    resources: {
      namespace: resources.namespace ?? "",
      pod: resources.pod ?? "",
      container: resources.container ?? "",
      node: resources.node ?? "",
      image: resources.image ?? "",
      workload: resources.workload ?? "",
    },
    observables: alert.observables,
  };
}
