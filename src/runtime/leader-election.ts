import type { Logger } from "pino";
import type { Gauge, Registry } from "prom-client";
import { sleep, type RuntimeClock } from "./clock.ts";
import {
  decideLeaseAction,
  defaultLeaseTimings,
  observeLease,
  releasedLeaseRecord,
  retryJitterFactor,
  validateLeaseTimings,
  type LeaseRecord,
  type LeaseTimings,
  type ObservedLease,
} from "./lease-decision.ts";
import type { LeaseLock } from "./lease-lock.ts";
import { linkedAbort } from "./linked-abort.ts";
import { gaugeOn } from "./metric-registration.ts";

/** What a leader elector needs. */
export interface LeaderElectorOptions {
  lock: LeaseLock;
  /** Unique per process (e.g. pod name plus a random suffix). */
  identity: string;
  /** The `name` label of `leader_election_master_status`, usually the Lease name. */
  name: string;
  /** Defaults to 15 s / 10 s / 2 s. */
  timings?: LeaseTimings;
  /** Release the lease when `run`'s signal aborts, so a standby takes over at once; default true. */
  releaseOnCancel?: boolean;
  /**
   * Runs while this process leads; `signal` aborts when leadership ends. The elector waits for
   * the returned promise before it releases the lease, so work has stopped when another
   * replica takes over.
   */
  onStartedLeading: (signal: AbortSignal) => Promise<void> | undefined;
  /** Called once leading has ended (lost or released). */
  onStoppedLeading?: () => void;
  clock: RuntimeClock;
  logger: Logger;
  registry: Registry;
  /** Uniform random numbers in [0, 1) for retry jitter; injected by tests. */
  random?: () => number;
}

type Attempt = "leading" | "held-by-other" | "failed";

/**
 * Leader election on a `coordination.k8s.io/v1` Lease, following client-go's leaderelection:
 * - candidates try every retry period (jittered) and take the lease when it is absent, free,
 *   or unchanged for a whole lease duration as measured on this process's clock;
 * - writes use the Lease's resourceVersion, so two candidates never both win;
 * - the leader renews every retry period; if it cannot renew within the renew deadline it
 *   stops leading (its `onStartedLeading` signal aborts);
 * - on cancellation the leader waits for its work to finish and then releases the lease;
 * - `leader_election_master_status{name}` is 1 exactly while leading.
 */
function leaderStatus(registry: Registry): Gauge<"name"> {
  return gaugeOn(registry, {
    name: "leader_election_master_status",
    help: "1 while this process leads the named election (or runs the controllers without one), 0 otherwise.",
    labelNames: ["name"],
  });
}

/**
 * Reports this process as the leader of election `name` for good: the operator runs its
 * controllers without electing a leader, so it is the only one (and an alert on "no leader"
 * stays quiet).
 */
export function reportLeadingWithoutElection(registry: Registry, name: string): void {
  leaderStatus(registry).set({ name }, 1);
}

export class LeaderElector {
  readonly #options: LeaderElectorOptions;
  readonly #timings: LeaseTimings;
  readonly #logger: Logger;
  readonly #status: Gauge<"name">;
  readonly #random: () => number;
  #observed: ObservedLease | undefined;
  #running = false;

  constructor(options: LeaderElectorOptions) {
    if (options.identity.trim() === "") throw new TypeError("identity must not be empty");
    this.#timings = options.timings ?? defaultLeaseTimings;
    validateLeaseTimings(this.#timings);
    this.#options = options;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger.child({ lease: options.lock.description, identity: options.identity });
    this.#status = leaderStatus(options.registry);
    this.#status.set({ name: options.name }, 0);
  }

  /** True when the last observed record names this process as holder. */
  isLeader(): boolean {
    return this.#observed?.record.holderIdentity === this.#options.identity;
  }

  /**
   * Campaigns until elected, leads until leadership is lost or `signal` aborts, then returns.
   * Never rejects; a lost leadership is reported through `onStoppedLeading`.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.#running) throw new Error("leader elector is already running");
    this.#running = true;
    try {
      if (!(await this.#acquire(signal))) return;
      await this.#lead(signal);
    } finally {
      this.#running = false;
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    this.#logger.info("campaigning for leadership");
    while (!signal.aborted) {
      const attempt = await this.#tryAcquireOrRenew(signal, this.#timings.retryPeriodMs);
      if (attempt === "leading") return true;
      const delayMs = this.#timings.retryPeriodMs * (1 + retryJitterFactor * this.#random());
      await sleep(this.#options.clock, delayMs, signal);
    }
    return false;
  }

  async #lead(signal: AbortSignal): Promise<void> {
    const leading = new AbortController();
    this.#status.set({ name: this.#options.name }, 1);
    this.#logger.info("leadership acquired");
    const work = this.#startWork(leading.signal);
    let lost = false;
    while (!signal.aborted) {
      if (!(await this.#renew(signal))) {
        lost = !signal.aborted;
        break;
      }
      await sleep(this.#options.clock, this.#timings.retryPeriodMs, signal);
    }
    leading.abort();
    this.#status.set({ name: this.#options.name }, 0);
    if (lost) this.#logger.warn({ renewDeadlineMs: this.#timings.renewDeadlineMs }, "leadership lost: renewal failed");
    await work;
    if (!lost && this.#options.releaseOnCancel !== false) await this.#release();
    this.#logger.info("leading stopped");
    try {
      this.#options.onStoppedLeading?.();
    } catch (error: unknown) {
      this.#logger.error({ err: error }, "onStoppedLeading failed");
    }
  }

  async #startWork(signal: AbortSignal): Promise<void> {
    try {
      await this.#options.onStartedLeading(signal);
    } catch (error: unknown) {
      this.#logger.error({ err: error }, "onStartedLeading failed");
    }
  }

  /** Renews, retrying until the renew deadline; false when leadership is lost or cancelled. */
  async #renew(signal: AbortSignal): Promise<boolean> {
    const clock = this.#options.clock;
    const deadline = clock.now().getTime() + this.#timings.renewDeadlineMs;
    for (;;) {
      const remaining = deadline - clock.now().getTime();
      if (remaining <= 0 || signal.aborted) return false;
      const attempt = await this.#tryAcquireOrRenew(signal, remaining);
      if (attempt === "leading") return true;
      if (attempt === "held-by-other") return false;
      const pause = Math.min(this.#timings.retryPeriodMs, deadline - clock.now().getTime());
      if (pause > 0) await sleep(clock, pause, signal);
    }
  }

  async #tryAcquireOrRenew(signal: AbortSignal, timeoutMs: number): Promise<Attempt> {
    const call = linkedAbort(signal);
    const timer = this.#options.clock.setTimer(timeoutMs, () => { call.abort(); });
    try {
      return await this.#attempt(call.signal);
    } catch (error: unknown) {
      if (!signal.aborted) this.#logger.warn({ err: error }, "lease update failed");
      return "failed";
    } finally {
      timer.cancel();
      call.dispose();
    }
  }

  async #attempt(signal: AbortSignal): Promise<Attempt> {
    const { lock, identity, clock } = this.#options;
    const current = await lock.get(signal);
    if (current === undefined) {
      const decision = decideLeaseAction(undefined, clock.now(), identity, this.#timings);
      if (decision.action !== "create") return "failed";
      await lock.create(decision.record, signal);
      this.#remember(decision.record);
      return "leading";
    }
    this.#noticeHolderChange(current.record);
    this.#observed = observeLease(this.#observed, current.record, clock.now());
    const decision = decideLeaseAction(this.#observed, clock.now(), identity, this.#timings);
    if (decision.action === "wait") return "held-by-other";
    if (decision.action === "create") return "failed";
    await lock.update(decision.record, current.resourceVersion, signal);
    if (decision.action === "acquire") {
      this.#logger.info({ previousHolder: current.record.holderIdentity, transitions: decision.record.leaseTransitions }, "lease taken over");
    }
    this.#remember(decision.record);
    return "leading";
  }

  async #release(): Promise<void> {
    const observed = this.#observed;
    if (observed === undefined || !this.isLeader()) return;
    const { lock, clock } = this.#options;
    const call = new AbortController();
    const timer = clock.setTimer(this.#timings.renewDeadlineMs, () => { call.abort(); });
    try {
      const current = await lock.get(call.signal);
      if (current?.record.holderIdentity !== this.#options.identity) return;
      const record = releasedLeaseRecord(observed.record, clock.now());
      await lock.update(record, current.resourceVersion, call.signal);
      this.#remember(record);
      this.#logger.info("lease released");
    } catch (error: unknown) {
      this.#logger.warn({ err: error }, "lease release failed; standby replicas take over when it expires");
    } finally {
      timer.cancel();
    }
  }

  #remember(record: LeaseRecord): void {
    this.#observed = { record, observedAt: this.#options.clock.now() };
  }

  #noticeHolderChange(record: LeaseRecord): void {
    if (this.#observed?.record.holderIdentity === record.holderIdentity) return;
    if (record.holderIdentity !== "" && record.holderIdentity !== this.#options.identity) {
      this.#logger.info({ holder: record.holderIdentity }, "new leader observed");
    }
  }
}
