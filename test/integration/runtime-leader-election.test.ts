import { CoordinationV1Api } from "@kubernetes/client-node";
import { pino, type Logger } from "pino";
import { Registry } from "prom-client";
import { beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { systemRuntimeClock } from "../../src/runtime/clock.ts";
import { LeaderElector } from "../../src/runtime/leader-election.ts";
import type { LeaseTimings } from "../../src/runtime/lease-decision.ts";
import { leaseLock } from "../../src/runtime/lease-lock.ts";
import { createTestNamespace, loadKubeConfig, waitFor } from "../support/kube.ts";

function logCapture(): Logger {
  const lines: string[] = [];
  onTestFailed(() => {
    console.error(["runtime log:", ...lines].join("\n"));
  });
  return pino({ level: "debug" }, { write: (line: string) => { lines.push(line.trimEnd()); } });
}

/** One candidate in this process, with what the test needs to observe it. */
class Candidate {
  readonly identity: string;
  readonly registry = new Registry();
  readonly stop = new AbortController();
  leading = false;
  stoppedLeading = false;
  readonly #elector: LeaderElector;
  #run: Promise<void> | undefined;

  constructor(options: { identity: string; leaseName: string; namespace: string; timings: LeaseTimings; releaseOnCancel: boolean; logger: Logger }) {
    this.identity = options.identity;
    this.#elector = new LeaderElector({
      lock: leaseLock(loadKubeConfig().makeApiClient(CoordinationV1Api), options.namespace, options.leaseName),
      identity: options.identity,
      name: options.leaseName,
      timings: options.timings,
      releaseOnCancel: options.releaseOnCancel,
      onStartedLeading: (signal) => {
        this.leading = true;
        return new Promise((resolve) => {
          signal.addEventListener("abort", () => {
            this.leading = false;
            resolve();
          });
        });
      },
      onStoppedLeading: () => {
        this.stoppedLeading = true;
      },
      clock: systemRuntimeClock,
      logger: options.logger.child({ candidate: options.identity }),
      registry: this.registry,
    });
  }

  start(): void {
    this.#run = this.#elector.run(this.stop.signal);
  }

  async halt(): Promise<void> {
    this.stop.abort();
    await this.#run;
  }

  async status(): Promise<string> {
    const metrics = await this.registry.metrics();
    return /leader_election_master_status\{name="[^"]+"\} (\d)/.exec(metrics)?.[1] ?? "absent";
  }
}

describe("leader election on a real Lease", () => {
  const kubeConfig = loadKubeConfig();
  const coordination = kubeConfig.makeApiClient(CoordinationV1Api);
  let namespace = "";

  beforeAll(async () => {
    namespace = await createTestNamespace(kubeConfig, "runtime-election");
  });

  async function holderOf(leaseName: string): Promise<{ holder: string; transitions: number; durationSeconds: number }> {
    const lease = await coordination.readNamespacedLease({ name: leaseName, namespace });
    return {
      holder: lease.spec?.holderIdentity ?? "",
      transitions: lease.spec?.leaseTransitions ?? 0,
      durationSeconds: lease.spec?.leaseDurationSeconds ?? 0,
    };
  }

  it("a standby takes over once a leader that died without releasing lets its lease expire", async () => {
    const logger = logCapture();
    const timings: LeaseTimings = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500 };
    const options = { leaseName: "expiry", namespace, timings, logger };
    const first = new Candidate({ ...options, identity: "first", releaseOnCancel: false });
    const second = new Candidate({ ...options, identity: "second", releaseOnCancel: false });
    first.start();
    await waitFor(() => first.leading, { timeoutMs: 20_000, description: "the first candidate to lead" });
    second.start();
    await waitFor(async () => (await holderOf("expiry")).transitions === 0 && (await first.status()) === "1", {
      timeoutMs: 10_000,
      description: "the first candidate's lease",
    });
    expect(second.leading).toBe(false);
    expect(await second.status()).toBe("0");

    await first.halt();
    expect(first.stoppedLeading).toBe(true);
    expect(await first.status()).toBe("0");
    expect((await holderOf("expiry")).holder).toBe("first");

    await waitFor(() => second.leading, { timeoutMs: 20_000, description: "the second candidate to take over" });
    expect(await holderOf("expiry")).toEqual({ holder: "second", transitions: 1, durationSeconds: 3 });
    expect(await second.status()).toBe("1");
    await second.halt();
  });

  it("a leader that shuts down gracefully releases the lease, so the standby takes over without waiting for expiry", async () => {
    const logger = logCapture();
    // A lease far longer than the wait below: taking over in time is only possible through the release.
    const timings: LeaseTimings = { leaseDurationMs: 120_000, renewDeadlineMs: 60_000, retryPeriodMs: 500 };
    const options = { leaseName: "release", namespace, timings, logger, releaseOnCancel: true };
    const first = new Candidate({ ...options, identity: "first" });
    const second = new Candidate({ ...options, identity: "second" });
    first.start();
    await waitFor(() => first.leading, { timeoutMs: 20_000, description: "the first candidate to lead" });
    second.start();
    await waitFor(async () => (await holderOf("release")).holder === "first", { timeoutMs: 10_000, description: "the first candidate's lease" });

    await first.halt();
    expect(first.stoppedLeading).toBe(true);
    const released = await holderOf("release");
    expect(released.holder === "" || released.holder === "second").toBe(true);

    await waitFor(() => second.leading, { timeoutMs: 15_000, description: "the second candidate to take over the released lease" });
    expect(await holderOf("release")).toMatchObject({ holder: "second", transitions: 1, durationSeconds: 120 });
    await second.halt();
    expect(await holderOf("release")).toMatchObject({ holder: "", durationSeconds: 1 });
  });
});
