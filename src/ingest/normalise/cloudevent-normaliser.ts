import type { ObservableType } from "../../api/v1alpha1/index.ts";
import { meaningful, type NormalisedAlert, type NormaliseOptions, envelopeOf } from "./normalised-alert.ts";
import { validResources, type ResourceCandidates } from "./alert-resources.ts";
import type { CloudEventEnvelope } from "../decode/cloudevent-envelope.ts";
import { fingerprint } from "../identity/alert-fingerprint.ts";
import { canonicalWorkloadRef, workloadRef } from "../../api/v1alpha1/kube-names.ts";
import { isObservableType } from "../../api/v1alpha1/observable-values.ts";
import { collectObservables } from "./observables.ts";
import { accept, type Result } from "../rejection.ts";
import { isJsonObject } from "../decode/safe-json.ts";
import { severityOfCloudEventExtension } from "./severity.ts";

const OBSERVABLE_KEYS: readonly (readonly [ObservableType, string])[] = [
  ["ip", "ip"],
  ["ip", "source_ip"],
  ["ip", "src_ip"],
  ["ip", "destination_ip"],
  ["ip", "dst_ip"],
  ["ip", "remote_ip"],
  ["ip", "client_ip"],
  ["domain", "domain"],
  ["url", "url"],
  ["user", "user"],
  ["user", "username"],
  ["process", "process"],
  ["hash", "hash"],
  ["hash", "sha256"],
  ["hash", "sha1"],
  ["hash", "md5"],
];
const MAX_LISTED_OBSERVABLES = 256;

/**
 * Normalises any other CloudEvent: severity from the `severity` extension (names and
 * synonyms), status firing, title from a `title`, `summary` or `message` string in the data
 * (else the type and subject), resources from top-level data members (`namespace`, `pod`,
 * `container`, `node`, `image`, `workload`) and from a `<namespace>/<kind>/<name>` subject,
 * observables from `data.observables` (`[{type, value}]`) and well-known data members,
 * fingerprint from type + source + subject. Never refuses an event that decoded.
 */
export function normaliseGenericEvent(event: CloudEventEnvelope, options: NormaliseOptions): Result<NormalisedAlert> {
  const data = isJsonObject(event.data) ? event.data : {};
  const member = (name: string): string | undefined => meaningful(data[name]);
  return accept({
    ...envelopeOf(event, options.receivedAt),
    kind: "cloudevent",
    status: "firing",
    severity: severityOfCloudEventExtension(event.extensions["severity"], options.defaultSeverity),
    titleText: member("title") ?? member("summary") ?? member("message") ?? (event.subject === undefined ? event.type : `${event.type}: ${event.subject}`),
    fingerprint: fingerprint({ kind: "cloudevent", type: event.type, source: event.source, ...(event.subject === undefined ? {} : { subject: event.subject }) }),
    resources: validResources(resourceCandidates(member, event.subject)),
    observables: collectObservables(observableCandidates(data)),
    labels: {},
    extensions: event.extensions,
    data: event.data,
  });
}

function resourceCandidates(member: (name: string) => string | undefined, subject: string | undefined): ResourceCandidates {
  const [subjectNamespace, subjectKind, subjectName, ...rest] = subject?.split("/") ?? [];
  const fromSubject = subjectKind !== undefined && subjectName !== undefined && rest.length === 0;
  const subjectIsPod = fromSubject && subjectKind.toLowerCase() === "pod";
  return {
    namespace: member("namespace") ?? (fromSubject ? subjectNamespace : undefined),
    pod: member("pod") ?? (subjectIsPod ? subjectName : undefined),
    container: member("container"),
    node: member("node"),
    image: member("image"),
    workload: canonicalWorkloadRefOrUndefined(member("workload")) ?? (fromSubject && !subjectIsPod ? workloadRef(subjectKind, subjectName) : undefined),
  };
}

function canonicalWorkloadRefOrUndefined(value: string | undefined): string | undefined {
  return value === undefined ? undefined : canonicalWorkloadRef(value);
}

function* observableCandidates(data: Readonly<Record<string, unknown>>): Iterable<readonly [ObservableType, unknown]> {
  const listed = data["observables"];
  if (Array.isArray(listed)) {
    for (const item of listed.slice(0, MAX_LISTED_OBSERVABLES)) {
      if (isJsonObject(item) && isObservableType(item["type"])) yield [item["type"], item["value"]];
    }
  }
  for (const [type, key] of OBSERVABLE_KEYS) yield [type, data[key]];
}
