import { createHash } from "node:crypto";
import { WORKLOAD_KINDS } from "./constants.ts";
import { DNS_LABEL_PATTERN, DNS_SUBDOMAIN_PATTERN } from "./schema/common.ts";

const dnsLabel = new RegExp(DNS_LABEL_PATTERN);
const dnsSubdomain = new RegExp(DNS_SUBDOMAIN_PATTERN);
const labelName = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const imageReference = /^[a-z0-9][a-z0-9._\-/:@]*$/i;
const MAX_IMAGE_LENGTH = 512;

/** True for a DNS-1123 label (Namespace and container names): at most 63 of `[a-z0-9-]`, alphanumeric at both ends. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && dnsLabel.test(value);
}

/** True for a DNS-1123 subdomain (Pod, Node and most object names): dot-separated DNS labels, at most 253 characters. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && dnsSubdomain.test(value);
}

/** True for a label or annotation key: an optional DNS subdomain prefix and a name of at most 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && labelName.test(name);
}

/** True for a label value: empty, or at most 63 alphanumerics, '-', '_' and '.' inside. */
export function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && labelName.test(value));
}

/**
 * True for something shaped like a container image reference (`registry/path:tag`,
 * `...@sha256:...`): at most 512 characters of letters, digits and `._-/:@`, no `//`,
 * no whitespace or shell metacharacters.
 */
export function isImageReference(value: string): boolean {
  return value.length <= MAX_IMAGE_LENGTH && imageReference.test(value) && !value.includes("//");
}

/**
 * `${prefix}${name}` when it fits in `maxLength`; otherwise a truncated form ending in `-` and
 * 8 hex digits of a hash of the full name, so distinct inputs keep distinct results. The
 * result is a DNS label when the input is made of DNS label characters and dots.
 */
export function lengthSafeName(prefix: string, name: string, maxLength = 63): string {
  const full = `${prefix}${name}`;
  if (full.length <= maxLength) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 8);
  const head = full.slice(0, maxLength - hash.length - 1).replace(/[^a-z0-9]+$/, "");
  return `${head}-${hash}`;
}

/** A kind of workload an Incident may name, as its API Kind. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** The two parts of a workload reference `<Kind>/<name>`. */
export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly name: string;
}

const workloadKindByLowerCase: ReadonlyMap<string, WorkloadKind> = new Map(WORKLOAD_KINDS.map((kind) => [kind.toLowerCase(), kind]));

/**
 * The canonical workload reference `<Kind>/<name>` with the API Kind (`Deployment/web`,
 * `StatefulSet/db`), the form `spec.resources.workload` stores and actions read; undefined
 * unless `kind` names a workload kind in any case (`deployment`, `Deployment`) and `name` is
 * a DNS-1123 subdomain.
 */
export function workloadRef(kind: string, name: string): string | undefined {
  const apiKind = workloadKindByLowerCase.get(kind.toLowerCase());
  return apiKind !== undefined && isDnsSubdomain(name) ? `${apiKind}/${name}` : undefined;
}

/** {@link workloadRef} of a reference written `<kind>/<name>` with the kind in any case (`deployment/web`). */
export function canonicalWorkloadRef(text: string): string | undefined {
  const slash = text.indexOf("/");
  return slash === -1 ? undefined : workloadRef(text.slice(0, slash), text.slice(slash + 1));
}

/**
 * Splits a canonical workload reference at its first `/`; undefined unless the part before is
 * an API Kind of {@link WORKLOAD_KINDS} (exact case) and the part after is not empty. The name
 * is not checked: a caller that uses it as an object name validates it.
 */
export function parseWorkloadRef(ref: string): WorkloadRef | undefined {
  const slash = ref.indexOf("/");
  const kind = WORKLOAD_KINDS.find((candidate) => candidate === ref.slice(0, slash));
  const name = ref.slice(slash + 1);
  return slash <= 0 || kind === undefined || name === "" ? undefined : { kind, name };
}
