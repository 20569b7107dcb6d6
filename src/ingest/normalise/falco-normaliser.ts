import type { ObservableType } from "../../api/v1alpha1/index.ts";
import { meaningful, boundLabels, type NormalisedAlert, type NormaliseOptions, envelopeOf } from "./normalised-alert.ts";
import { validResources } from "./alert-resources.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { parseFalcoPayload, type FalcoPayload } from "../decode/falco-payload.ts";
import { fingerprint } from "../identity/alert-fingerprint.ts";
import { eventIdentity } from "../identity/event-hash.ts";
import { workloadRef } from "../../api/v1alpha1/kube-names.ts";
import { collectObservables } from "./observables.ts";
import { accept, type Result } from "../rejection.ts";
import { severityOfFalcoPriority } from "./severity.ts";

const OBSERVABLE_FIELDS: readonly (readonly [ObservableType, string])[] = [
  ["ip", "fd.rip"],
  ["ip", "fd.sip"],
  ["ip", "fd.cip"],
  ["ip", "fd.lip"],
  ["domain", "fd.rip.name"],
  ["domain", "fd.sip.name"],
  ["domain", "fd.cip.name"],
  ["domain", "fd.lip.name"],
  ["user", "user.name"],
  ["user", "user.loginname"],
  ["user", "ka.user.name"],
  ["process", "proc.name"],
  ["process", "proc.exepath"],
  ["hash", "container.image.digest"],
];
const HASH_FIELD = /\.(?:sha256|sha1|md5)$/;
const AUDIT_WORKLOAD_RESOURCES: ReadonlyMap<string, string> = new Map([
  ["deployments", "deployment"],
  ["statefulsets", "statefulset"],
  ["daemonsets", "daemonset"],
  ["replicasets", "replicaset"],
  ["jobs", "job"],
  ["cronjobs", "cronjob"],
]);

/**
 * Normalises a `falco.rule.output.v1` event whose data is a Falco alert: id and source its
 * {@link eventIdentity} (the alert's uuid when it has one, whatever the envelope), severity from the
 * priority, title the rule name, status firing, labels rule/priority/source/hostname/tags,
 * resources and observables from `output_fields`, fingerprint from rule + source + namespace +
 * pod (or hostname + container id). Data that is not a valid Falco alert is refused as invalid-falco.
 */
export function normaliseFalcoEvent(event: CloudEventEnvelope, options: NormaliseOptions): Result<NormalisedAlert> {
  const parsed = parseFalcoPayload(event.data, "data", options.limits);
  if (!parsed.ok) return parsed;
  const falco = parsed.value;
  const field = (key: string): string | undefined => meaningful(falco.outputFields[key]);
  const containerId = field("container.id");
  const inContainer = containerId !== undefined && containerId !== "host";
  const namespace = field("k8s.ns.name") ?? field("k8smeta.ns.name") ?? field("ka.target.namespace");
  const pod = field("k8s.pod.name") ?? field("k8smeta.pod.name") ?? (field("ka.target.resource") === "pods" ? field("ka.target.name") : undefined);
  return accept({
    ...envelopeOf(event, falco.time),
    ...eventIdentity(event),
    kind: "falco",
    status: "firing",
    severity: severityOfFalcoPriority(falco.priority),
    titleText: falco.rule,
    fingerprint: fingerprint({
      kind: "falco",
      rule: falco.rule,
      source: falco.source,
      ...(namespace === undefined ? {} : { namespace }),
      ...(pod === undefined ? {} : { pod }),
      ...(falco.hostname === undefined ? {} : { hostname: falco.hostname }),
      ...(containerId === undefined ? {} : { containerId }),
    }),
    resources: validResources({
      namespace,
      pod,
      container: inContainer ? field("container.name") : undefined,
      node: falco.source === "syscall" ? falco.hostname : undefined,
      image: imageOf(field),
      workload: workloadOf(field),
    }),
    observables: collectObservables(observableCandidates(falco)),
    labels: boundLabels(falcoLabels(falco)),
    extensions: event.extensions,
    data: event.data,
  });
}

function imageOf(field: (key: string) => string | undefined): string | undefined {
  const full = field("container.image");
  if (full !== undefined) return full;
  const repository = field("container.image.repository");
  if (repository === undefined) return undefined;
  const tag = field("container.image.tag");
  return tag === undefined ? repository : `${repository}:${tag}`;
}

function workloadOf(field: (key: string) => string | undefined): string | undefined {
  const deployment = field("k8smeta.deployment.name");
  if (deployment !== undefined) return workloadRef("deployment", deployment);
  const kind = AUDIT_WORKLOAD_RESOURCES.get(field("ka.target.resource") ?? "");
  const name = field("ka.target.name");
  return kind === undefined || name === undefined ? undefined : workloadRef(kind, name);
}

function* observableCandidates(falco: FalcoPayload): Iterable<readonly [ObservableType, unknown]> {
  for (const [type, key] of OBSERVABLE_FIELDS) yield [type, falco.outputFields[key]];
  for (const [key, value] of Object.entries(falco.outputFields)) {
    if (HASH_FIELD.test(key)) yield ["hash", value];
  }
}

function falcoLabels(falco: FalcoPayload): Record<string, string> {
  return {
    rule: falco.rule,
    priority: falco.priority,
    source: falco.source,
    ...(falco.hostname === undefined ? {} : { hostname: falco.hostname }),
    ...(falco.tags.length === 0 ? {} : { tags: falco.tags.join(",") }),
  };
}
