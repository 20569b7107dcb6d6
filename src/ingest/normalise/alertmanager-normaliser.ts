import type { ObservableType } from "../../api/v1alpha1/index.ts";
import { boundLabels, meaningful, type NormalisedAlert, type NormaliseOptions, envelopeOf } from "./normalised-alert.ts";
import { parseAlertmanagerAlert } from "../decode/alertmanager-alert.ts";
import { validResources } from "./alert-resources.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { fingerprint } from "../identity/alert-fingerprint.ts";
import { workloadRef } from "../../api/v1alpha1/kube-names.ts";
import { collectObservables } from "./observables.ts";
import { accept, type Result } from "../rejection.ts";
import { severityOfAlertmanagerLabel } from "./severity.ts";

const OBSERVABLE_LABELS: readonly (readonly [ObservableType, string])[] = [
  ["ip", "ip"],
  ["ip", "pod_ip"],
  ["ip", "host_ip"],
  ["ip", "source_ip"],
  ["ip", "src_ip"],
  ["ip", "destination_ip"],
  ["ip", "dst_ip"],
  ["ip", "remote_ip"],
  ["ip", "client_ip"],
  ["domain", "domain"],
  ["user", "user"],
  ["user", "username"],
  ["process", "process"],
  ["hash", "hash"],
  ["hash", "sha256"],
  ["url", "url"],
];
/** Workload labels as kube-state-metrics names them; `job` is the scrape job, so Jobs use `job_name`. */
const WORKLOAD_LABELS: readonly (readonly [string, string])[] = [
  ["deployment", "deployment"],
  ["statefulset", "statefulset"],
  ["daemonset", "daemonset"],
  ["replicaset", "replicaset"],
  ["job", "job_name"],
  ["cronjob", "cronjob"],
];
const HOST_PORT = /^(?<host>[^:\s]+):\d{1,5}$/;
const BRACKETED_HOST_PORT = /^\[(?<host>[0-9a-fA-F:.]+)\]:\d{1,5}$/;

/**
 * Normalises an `io.prometheus.alertmanager.alert.v1` event whose data is one Alertmanager
 * alert: status from the alert, severity from its `severity` label, title
 * `<alertname>: <summary>`, labels the alert's labels, resources from the namespace, pod,
 * container, node, image and workload labels, observables from well-known labels (and the
 * host of `instance` when it is an IP), fingerprint Alertmanager's. Invalid data is refused
 * as invalid-alertmanager.
 */
export function normaliseAlertmanagerEvent(event: CloudEventEnvelope, options: NormaliseOptions): Result<NormalisedAlert> {
  const parsed = parseAlertmanagerAlert(event.data, "data");
  if (!parsed.ok) return parsed;
  const alert = parsed.value;
  const label = (name: string): string | undefined => meaningful(alert.labels[name]);
  const alertname = label("alertname");
  const summary = meaningful(alert.annotations["summary"]) ?? meaningful(alert.annotations["message"]);
  return accept({
    ...envelopeOf(event, options.receivedAt),
    kind: "alertmanager",
    status: alert.status,
    severity: severityOfAlertmanagerLabel(label("severity"), options.defaultSeverity),
    titleText: alertname !== undefined && summary !== undefined ? `${alertname}: ${summary}` : (summary ?? alertname ?? "Alertmanager alert"),
    fingerprint: fingerprint({ kind: "alertmanager", labels: alert.labels, ...(alert.fingerprint === undefined ? {} : { fingerprint: alert.fingerprint }) }),
    resources: validResources({
      namespace: label("namespace") ?? label("exported_namespace"),
      pod: label("pod") ?? label("exported_pod"),
      container: label("container") ?? label("exported_container"),
      node: label("node") ?? label("kubernetes_node"),
      image: label("image"),
      workload: workloadOf(label),
    }),
    observables: collectObservables(observableCandidates(label)),
    labels: boundLabels(alert.labels),
    extensions: event.extensions,
    data: event.data,
  });
}

function workloadOf(label: (name: string) => string | undefined): string | undefined {
  const kind = label("workload_type");
  const name = label("workload");
  if (kind !== undefined && name !== undefined) return workloadRef(kind, name);
  for (const [workloadKind, labelName] of WORKLOAD_LABELS) {
    const value = label(labelName);
    if (value !== undefined) return workloadRef(workloadKind, value);
  }
  return undefined;
}

function* observableCandidates(label: (name: string) => string | undefined): Iterable<readonly [ObservableType, unknown]> {
  for (const [type, name] of OBSERVABLE_LABELS) yield [type, label(name)];
  const instance = label("instance");
  if (instance !== undefined) yield ["ip", HOST_PORT.exec(instance)?.groups?.["host"] ?? BRACKETED_HOST_PORT.exec(instance)?.groups?.["host"] ?? instance];
}
