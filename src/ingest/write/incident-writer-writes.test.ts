import { ApiException } from "@kubernetes/client-node";
import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { countedEventKey } from "../../api/v1alpha1/counted-events.ts";
import { occurrenceStatus } from "../../api/v1alpha1/incident-occurrences.ts";
import type { Incident } from "../../api/v1alpha1/types.generated.ts";
import { ManualClock } from "../../testing/manual-clock.ts";
import { createIntakeMetrics } from "../intake-metrics.ts";
import { IncidentWriter } from "./incident-writer.ts";
import type { WriteRequest } from "./write-request.ts";
import type { IncidentStore } from "./incident-writer-store.ts";
import { silentLogger } from "../../testing/silent-logger.ts";
import { CreationBudget } from "./creation-budget.ts";

/** An in-memory API server for Incidents that records the writes it stored. */
class MemoryStore implements IncidentStore {
  readonly objects = new Map<string, Incident>();
  readonly writes: string[] = [];
  #version = 1;

  create(incident: Incident): Promise<Incident> {
    const key = `${incident.metadata.namespace ?? ""}/${incident.metadata.name ?? ""}`;
    if (this.objects.has(key)) return Promise.reject(new ApiException(409, "exists", { reason: "AlreadyExists" }, {}));
    this.writes.push(`create ${key}`);
    // Like the API server: status is dropped on create.
    const stored = structuredClone(incident);
    delete stored.status;
    stored.metadata.resourceVersion = String(++this.#version);
    this.objects.set(key, stored);
    return Promise.resolve(structuredClone(stored));
  }

  get(namespace: string, name: string): Promise<Incident | undefined> {
    const found = this.objects.get(`${namespace}/${name}`);
    return Promise.resolve(found === undefined ? undefined : structuredClone(found));
  }

  replaceStatus(incident: Incident): Promise<Incident> {
    const key = `${incident.metadata.namespace ?? ""}/${incident.metadata.name ?? ""}`;
    this.writes.push(`status ${key}`);
    const current = this.objects.get(key);
    if (current === undefined) return Promise.reject(new ApiException(404, "gone", { reason: "NotFound" }, {}));
    const stored: Incident = { ...current, status: structuredClone(incident.status ?? {}), metadata: { ...current.metadata, resourceVersion: String(++this.#version) } };
    this.objects.set(key, stored);
    return Promise.resolve(structuredClone(stored));
  }
}

const clock = new ManualClock(new Date("2026-11-28T10:00:00.000Z"));

function writer(store: IncidentStore, budget?: CreationBudget): IncidentWriter {
  return new IncidentWriter({ store, clock, logger: silentLogger, metrics: createIntakeMetrics(new Registry()), foldIntervalMs: 0, concurrency: 4, ...(budget === undefined ? {} : { budget }) });
}

/** A budget that opens `burst` Incidents and then none (no refill). */
function budgetOf(burst: number): CreationBudget {
  return new CreationBudget({ global: { burst, perMinute: 0 }, perSource: { burst, perMinute: 0 }, maxSources: 10, unmatchedMaxOpen: 100 }, 3_600_000, clock);
}

const claim = { source: "https://falco.org", unmatched: true, flood: false };

function request(id: string, observables: WriteRequest["fold"]["observables"] = []): WriteRequest {
  return {
    target: { namespace: "shop", baseName: "falco-shell-3f9a0c12de", fingerprint: "fp", windowMs: 600_000, playbooks: [] },
    spec: {
      severity: "high",
      title: "Terminal shell in container",
      sourceKind: "falco",
      event: { id, source: "https://falco.org", type: "falco.rule.output.v1" },
      resources: { namespace: "shop", pod: "web-0" },
    },
    fold: { hash: `hash-${id}`, alertStatus: "firing", time: clock.now().toISOString(), observables },
  };
}

describe("IncidentWriter writes", () => {
  it("opens an Incident in one write, its occurrence pinned in spec.opening", async () => {
    const store = new MemoryStore();
    const outcome = await writer(store).submit(request("e1", [{ type: "ip", value: "203.0.113.9" }]));
    expect(outcome).toEqual({ result: "created", name: "falco-shell-3f9a0c12de" });
    expect(store.writes).toEqual(["create shop/falco-shell-3f9a0c12de"]);
    const stored = store.objects.get("shop/falco-shell-3f9a0c12de");
    expect(stored === undefined ? undefined : occurrenceStatus(stored)).toEqual({
      occurrences: 1,
      firstSeen: "2026-11-28T10:00:00.000Z",
      lastSeen: "2026-11-28T10:00:00.000Z",
      recentEvents: ["hash-e1"],
      countedEvents: countedEventKey("hash-e1"),
      alertStatus: "firing",
      observables: [{ type: "ip", value: "203.0.113.9" }],
    });
  });

  it("never counts a redelivery of the opening event, and writes nothing for it", async () => {
    const store = new MemoryStore();
    const intake = writer(store);
    await intake.submit(request("e1"));
    expect(await intake.submit(request("e1"))).toEqual({ result: "duplicate", name: "falco-shell-3f9a0c12de" });
    expect(await writer(store).submit(request("e1"))).toEqual({ result: "duplicate", name: "falco-shell-3f9a0c12de" });
    expect(store.writes).toEqual(["create shop/falco-shell-3f9a0c12de"]);
  });

  it("folds the next occurrence on top of the opening one in a status write", async () => {
    const store = new MemoryStore();
    const intake = writer(store);
    await intake.submit(request("e1"));
    expect(await intake.submit(request("e2"))).toEqual({ result: "folded", name: "falco-shell-3f9a0c12de" });
    expect(store.writes).toEqual(["create shop/falco-shell-3f9a0c12de", "status shop/falco-shell-3f9a0c12de"]);
    expect(store.objects.get("shop/falco-shell-3f9a0c12de")?.status).toMatchObject({ occurrences: 2, recentEvents: ["hash-e1", "hash-e2"] });
  });

  it("folds alerts that arrive with the opening one in one status write after the create", async () => {
    const store = new MemoryStore();
    const intake = writer(store);
    const outcomes = await Promise.all([intake.submit(request("e1")), intake.submit(request("e2")), intake.submit(request("e1"))]);
    expect(outcomes.map((outcome) => outcome.result)).toEqual(["created", "folded", "duplicate"]);
    expect(store.writes).toEqual(["create shop/falco-shell-3f9a0c12de", "status shop/falco-shell-3f9a0c12de"]);
    expect(store.objects.get("shop/falco-shell-3f9a0c12de")?.status).toMatchObject({ occurrences: 2, recentEvents: ["hash-e1", "hash-e2"] });
  });

  it("folds into an Incident another replica opened (create answered 409)", async () => {
    const store = new MemoryStore();
    await writer(store).submit(request("e1"));
    expect(await writer(store).submit(request("e2"))).toEqual({ result: "folded", name: "falco-shell-3f9a0c12de" });
    expect(store.objects.get("shop/falco-shell-3f9a0c12de")?.status).toMatchObject({ occurrences: 2, recentEvents: ["hash-e1", "hash-e2"] });
  });

  it("opens no Incident the creation budget refuses, and writes nothing for it", async () => {
    const store = new MemoryStore();
    const intake = writer(store, budgetOf(1));
    expect(await intake.submit({ ...request("e1"), creation: claim })).toEqual({ result: "created", name: "falco-shell-3f9a0c12de" });
    const unclaimed = { ...request("e2"), target: { ...request("e2").target, baseName: "falco-shell-0000000000", fingerprint: "fp2" } };
    expect(await intake.submit({ ...unclaimed, creation: claim })).toEqual({ result: "over-budget", limit: "source" });
    expect(store.writes).toEqual(["create shop/falco-shell-3f9a0c12de"]);
    // A request without a claim is never limited.
    expect(await intake.submit(unclaimed)).toEqual({ result: "created", name: "falco-shell-0000000000" });
  });

  it("folds into an Incident it did not know of even when the budget is spent: folds are never limited", async () => {
    const store = new MemoryStore();
    await writer(store).submit(request("e1"));
    const budget = budgetOf(1);
    expect(budget.claim(claim).admitted).toBe(true);
    expect(await writer(store, budget).submit({ ...request("e2"), creation: claim })).toEqual({ result: "folded", name: "falco-shell-3f9a0c12de" });
  });

  it("gives the budget back when the create turns out to be a fold (409)", async () => {
    const store = new MemoryStore();
    await writer(store).submit(request("e1"));
    const budget = budgetOf(1);
    expect(await writer(store, budget).submit({ ...request("e2"), creation: claim })).toEqual({ result: "folded", name: "falco-shell-3f9a0c12de" });
    expect(budget.claim(claim).admitted).toBe(true);
  });
});
