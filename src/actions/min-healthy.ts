/** A `minHealthyReplicas` parameter: a replica count, or a percentage of the desired replicas. */
export type MinHealthy = { readonly kind: "count"; readonly value: number } | { readonly kind: "percent"; readonly value: number };

/** Parses `3` or `50%` (0 to 100000, or 0% to 100%); undefined when malformed. */
export function parseMinHealthy(text: string): MinHealthy | undefined {
  const trimmed = text.trim();
  const percent = /^(\d{1,3})%$/.exec(trimmed)?.[1];
  if (percent !== undefined) {
    const value = Number(percent);
    return value <= 100 ? { kind: "percent", value } : undefined;
  }
  if (!/^\d{1,6}$/.test(trimmed)) return undefined;
  return { kind: "count", value: Number(trimmed) };
}

/** Replica counts of a Pod's owning workload. */
export interface WorkloadHealth {
  /** `Kind/name` of the workload, such as `Deployment/web`. */
  readonly workload: string;
  readonly desired: number;
  readonly ready: number;
}

/** The ready replicas a policy demands: the count, or the percentage of desired rounded up. */
export function requiredReady(min: MinHealthy, desired: number): number {
  return min.kind === "count" ? min.value : Math.ceil((desired * min.value) / 100);
}

/**
 * Whether deleting one Pod keeps its workload at or above `min` ready replicas. The Pod counts
 * as one ready replica lost only when it is ready itself.
 */
export function deletionKeepsMinHealthy(
  health: WorkloadHealth,
  podReady: boolean,
  min: MinHealthy,
): { allowed: true } | { allowed: false; message: string } {
  const required = requiredReady(min, health.desired);
  const remaining = health.ready - (podReady ? 1 : 0);
  if (remaining >= required) return { allowed: true };
  const spec = min.kind === "count" ? String(min.value) : `${min.value}% of ${health.desired} = ${required}`;
  return {
    allowed: false,
    message: `deleting the pod would leave ${health.workload} with ${Math.max(0, remaining)} ready replicas, fewer than minHealthyReplicas ${spec}`,
  };
}
