import type { AffectedResources } from "../../api/v1alpha1/index.ts";
import { canonicalWorkloadRef, isDnsLabel, isDnsSubdomain, isImageReference } from "../../api/v1alpha1/kube-names.ts";

/** Candidate resource values pulled from an alert, not yet validated (any may be hostile or absent). */
export interface ResourceCandidates {
  readonly namespace?: unknown;
  readonly pod?: unknown;
  readonly container?: unknown;
  readonly node?: unknown;
  readonly image?: unknown;
  readonly workload?: unknown;
}

const CHECKS: Readonly<Record<keyof AffectedResources, (value: string) => string | undefined>> = {
  namespace: (value) => (isDnsLabel(value) ? value : undefined),
  pod: (value) => (isDnsSubdomain(value) ? value : undefined),
  container: (value) => (isDnsLabel(value) ? value : undefined),
  node: (value) => (isDnsSubdomain(value) ? value : undefined),
  image: (value) => (isImageReference(value) ? value : undefined),
  workload: canonicalWorkloadRef,
};

/**
 * Keeps each candidate that is a string valid for its kind (DNS-1123 label for namespace and
 * container, subdomain for pod and node, image reference, `<Kind>/<name>` workload) and drops
 * the rest, so a hostile value (`web-0; kubectl delete ns kube-system`) never becomes a name
 * an action could use.
 */
export function validResources(candidates: ResourceCandidates): AffectedResources {
  const entries: [string, string][] = [];
  for (const key of Object.keys(CHECKS) as (keyof AffectedResources)[]) {
    const value = candidates[key];
    const valid = typeof value === "string" ? CHECKS[key](value) : undefined;
    if (valid !== undefined) entries.push([key, valid]);
  }
  return Object.fromEntries(entries);
}
