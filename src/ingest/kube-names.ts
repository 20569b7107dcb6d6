const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN_PART = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IMAGE_REFERENCE = /^[a-z0-9][a-z0-9._\-/:@]*$/i;
const WORKLOAD_KINDS: readonly string[] = ["deployment", "statefulset", "daemonset", "replicaset", "job", "cronjob"];
const MAX_IMAGE_LENGTH = 512;

/** True for a DNS-1123 label (Namespace and container names): at most 63 of `[a-z0-9-]`, alphanumeric at both ends. */
export function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS1123_LABEL.test(value);
}

/** True for a DNS-1123 subdomain (Pod and Node names): at most 253 characters of dot-separated labels. */
export function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && value.split(".").every((part) => DNS1123_SUBDOMAIN_PART.test(part));
}

/**
 * True for something shaped like a container image reference (`registry/path:tag`,
 * `...@sha256:...`): at most 512 characters of letters, digits and `._-/:@`, no `//`,
 * no whitespace or shell metacharacters.
 */
export function isImageReference(value: string): boolean {
  return value.length <= MAX_IMAGE_LENGTH && IMAGE_REFERENCE.test(value) && !value.includes("//");
}

/** The workload as `<kind>/<name>` when `kind` is a known workload kind (any case) and `name` a DNS-1123 subdomain. */
export function workloadRef(kind: string, name: string): string | undefined {
  const lower = kind.toLowerCase();
  return WORKLOAD_KINDS.includes(lower) && isDnsSubdomain(name) ? `${lower}/${name}` : undefined;
}

/** Parses `<kind>/<name>` (e.g. `deployment/web`) into a workload reference, or undefined. */
export function parseWorkloadRef(value: string): string | undefined {
  const [kind, name, ...rest] = value.split("/");
  return kind === undefined || name === undefined || rest.length > 0 ? undefined : workloadRef(kind, name);
}
