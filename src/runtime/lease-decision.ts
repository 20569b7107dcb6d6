/** The leader-election fields of a `coordination.k8s.io/v1` Lease spec. */
export interface LeaseRecord {
  /** "" when nobody holds the lease. */
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: Date | undefined;
  renewTime: Date | undefined;
  leaseTransitions: number;
}

/** A lease record together with the local time this elector first saw it in that state. */
export interface ObservedLease {
  record: LeaseRecord;
  /** Local clock reading when the record last changed, as far as this elector knows. */
  observedAt: Date;
}

/** Leader-election timings, client-go's `LeaderElectionConfig`. */
export interface LeaseTimings {
  /** How long a non-leader waits after the last observed change before taking over. */
  leaseDurationMs: number;
  /** How long the leader keeps retrying a failing renewal before it gives up leading. */
  renewDeadlineMs: number;
  /** Pause between attempts to acquire or renew. */
  retryPeriodMs: number;
}

/** client-go's defaults: 15 s lease, 10 s renew deadline, 2 s retry period. */
export const defaultLeaseTimings: LeaseTimings = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

/** Random spread added to the retry period between acquisition attempts, as in client-go. */
export const retryJitterFactor = 1.2;

/** Throws a RangeError naming the first inconsistent field of `timings`. */
export function validateLeaseTimings(timings: LeaseTimings): void {
  for (const field of ["leaseDurationMs", "renewDeadlineMs", "retryPeriodMs"] as const) {
    const value = timings[field];
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${field} must be a finite number > 0, got ${String(value)}`);
  }
  if (timings.leaseDurationMs <= timings.renewDeadlineMs) {
    throw new RangeError("leaseDurationMs must be greater than renewDeadlineMs");
  }
  if (timings.renewDeadlineMs <= retryJitterFactor * timings.retryPeriodMs) {
    throw new RangeError(`renewDeadlineMs must be greater than ${retryJitterFactor} × retryPeriodMs`);
  }
}

/** What an elector should do with the lease now. */
export type LeaseDecision =
  /** No Lease object exists: create it, held by me. */
  | { action: "create"; record: LeaseRecord }
  /** The lease is free or its holder stopped renewing: take it over. */
  | { action: "acquire"; record: LeaseRecord }
  /** I hold the lease: renew it. */
  | { action: "renew"; record: LeaseRecord }
  /** Someone else holds a live lease: try again later. */
  | { action: "wait"; holder: string; expiresAt: Date };

/** True when two records are the same state of the lease. */
export function sameLeaseRecord(a: LeaseRecord, b: LeaseRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.acquireTime?.getTime() === b.acquireTime?.getTime() &&
    a.renewTime?.getTime() === b.renewTime?.getTime() &&
    a.leaseTransitions === b.leaseTransitions
  );
}

/**
 * Folds a freshly read record into what was observed before: `observedAt` moves to `now` only
 * when the record changed, so expiry is judged by this process's clock, never by the remote
 * holder's renewTime.
 */
export function observeLease(previous: ObservedLease | undefined, record: LeaseRecord, now: Date): ObservedLease {
  if (previous !== undefined && sameLeaseRecord(previous.record, record)) return previous;
  return { record, observedAt: now };
}

function leaseSeconds(timings: LeaseTimings): number {
  return Math.max(1, Math.ceil(timings.leaseDurationMs / 1000));
}

/**
 * Decides, like client-go's `tryAcquireOrRenew`, whether `me` may hold the lease at `now`:
 * create it when absent; renew it when `me` holds it (keeping acquireTime and transitions);
 * acquire it when nobody holds it or when the holder's record has not changed for a whole
 * lease duration since it was observed (counting one more transition); otherwise wait.
 */
export function decideLeaseAction(
  lease: ObservedLease | undefined,
  now: Date,
  me: string,
  config: LeaseTimings,
): LeaseDecision {
  const leaseDurationSeconds = leaseSeconds(config);
  if (lease === undefined) {
    return {
      action: "create",
      record: { holderIdentity: me, leaseDurationSeconds, acquireTime: now, renewTime: now, leaseTransitions: 0 },
    };
  }
  const { record, observedAt } = lease;
  if (record.holderIdentity === me) {
    return { action: "renew", record: { ...record, holderIdentity: me, leaseDurationSeconds, renewTime: now } };
  }
  const expiresAt = new Date(observedAt.getTime() + config.leaseDurationMs);
  if (record.holderIdentity !== "" && expiresAt.getTime() > now.getTime()) {
    return { action: "wait", holder: record.holderIdentity, expiresAt };
  }
  return {
    action: "acquire",
    record: {
      holderIdentity: me,
      leaseDurationSeconds,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: record.leaseTransitions + 1,
    },
  };
}

/**
 * The record a leader writes when it steps down, as client-go does: no holder, a one-second
 * duration and fresh times, so that another candidate acquires it at its next attempt.
 */
export function releasedLeaseRecord(record: LeaseRecord, now: Date): LeaseRecord {
  return { holderIdentity: "", leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaseTransitions: record.leaseTransitions };
}
