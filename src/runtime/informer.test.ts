import type { KubeObject } from "./kube-object.ts";
import { ApiException } from "@kubernetes/client-node";
import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../testing/manual-clock.ts";
import { enqueueKeys, SharedInformer, type EventHandler } from "./informer.ts";
import type { ListerWatcher, ListResult, WatchEvent } from "./lister-watcher.ts";
import { silentLogger } from "../testing/silent-logger.ts";

const silent = silentLogger;

function cm(name: string, resourceVersion: string, data: Record<string, string> = {}): KubeObject & { data: Record<string, string> } {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: "ns", resourceVersion, managedFields: [{ manager: "kubectl", operation: "Apply" }] },
    data,
  };
}

/** One watch call the test drives by hand. */
class ScriptedWatch {
  readonly resourceVersion: string;
  readonly signal: AbortSignal;
  readonly #events: WatchEvent<KubeObject>[] = [];
  #ended = false;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(resourceVersion: string, signal: AbortSignal) {
    this.resourceVersion = resourceVersion;
    this.signal = signal;
    signal.addEventListener("abort", () => this.#wake?.());
  }

  push(...events: WatchEvent<KubeObject>[]): void {
    this.#events.push(...events);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(error: Error): void {
    this.#failure = error;
    this.#wake?.();
  }

  async *stream(): AsyncGenerator<WatchEvent<KubeObject>> {
    for (;;) {
      if (this.signal.aborted) throw new DOMException("aborted", "AbortError");
      const next = this.#events.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#ended) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}

/** A ListerWatcher whose answers the test scripts: lists from a queue, watches by hand. */
class ScriptedListerWatcher implements ListerWatcher<KubeObject> {
  readonly lists: (ListResult<KubeObject> | Error)[] = [];
  readonly watches: ScriptedWatch[] = [];
  listCalls = 0;

  list(): Promise<ListResult<KubeObject>> {
    this.listCalls++;
    const next = this.lists.shift();
    if (next === undefined) return Promise.reject(new Error("no list scripted"));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(structuredClone(next));
  }

  watch(resourceVersion: string, signal: AbortSignal): AsyncIterable<WatchEvent<KubeObject>> {
    const watch = new ScriptedWatch(resourceVersion, signal);
    this.watches.push(watch);
    return watch.stream();
  }

  latest(): ScriptedWatch {
    const watch = this.watches.at(-1);
    if (watch === undefined) throw new Error("no watch started");
    return watch;
  }
}

function recorder(): { events: string[]; handler: EventHandler<KubeObject> } {
  const events: string[] = [];
  const describe = (o: KubeObject): string => `${o.metadata?.name ?? "?"}@${o.metadata?.resourceVersion ?? "?"}`;
  return {
    events,
    handler: {
      onAdd: (o) => events.push(`add ${describe(o)}`),
      onUpdate: (old, o) => events.push(`update ${describe(old)}->${describe(o)}`),
      onDelete: (o) => events.push(`delete ${describe(o)}`),
    },
  };
}

function setup(options: { resyncPeriodMs?: number; inactivityTimeoutMs?: number; inspect?: (object: KubeObject) => void } = {}) {
  const clock = new ManualClock();
  const lw = new ScriptedListerWatcher();
  const informer = new SharedInformer<KubeObject>({
    resource: "configmaps",
    listerWatcher: lw,
    clock,
    logger: silent,
    resyncPeriodMs: options.resyncPeriodMs ?? 0,
    inactivityTimeoutMs: options.inactivityTimeoutMs ?? 60_000,
    backoff: { initialMs: 100, maxMs: 1_000, factor: 2, jitter: 0 },
    ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
  });
  const { events, handler } = recorder();
  informer.addEventHandler(handler);
  const stop = new AbortController();
  return { clock, lw, informer, events, stop, start: () => informer.run(stop.signal) };
}

describe("SharedInformer", () => {
  it("lists, syncs, then follows watch events and bookmarks, without managedFields", async () => {
    const { lw, informer, events, stop, start } = setup();
    lw.lists.push({ items: [cm("a", "1")], resourceVersion: "10" });
    expect(informer.hasSynced()).toBe(false);
    const running = start();
    expect(await informer.waitForSync(stop.signal)).toBe(true);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    expect(lw.latest().resourceVersion).toBe("10");

    lw.latest().push(
      { type: "ADDED", object: cm("b", "11") },
      { type: "MODIFIED", object: cm("a", "12", { k: "v" }) },
      { type: "MODIFIED", object: cm("a", "12", { k: "v" }) },
      { type: "DELETED", object: cm("b", "13") },
      { type: "BOOKMARK", resourceVersion: "20" },
    );
    await vi.waitFor(() => { expect(informer.lastSyncResourceVersion()).toBe("20"); });
    expect(events).toEqual(["add a@1", "add b@11", "update a@1->a@12", "delete b@13"]);
    expect(informer.list().map((o) => o.metadata?.name)).toEqual(["a"]);
    expect(informer.get("ns/a")?.metadata?.managedFields).toBeUndefined();
    expect(informer.listByNamespace("ns")).toHaveLength(1);

    lw.latest().end();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(2); });
    expect(lw.latest().resourceVersion).toBe("20");
    expect(lw.listCalls).toBe(1);
    stop.abort();
    await running;
  });

  it("shows every listed and watched object to inspect with its managedFields, then caches it without them", async () => {
    const seen: string[] = [];
    const inspect = (object: KubeObject): void => {
      const [entry] = (object.metadata?.managedFields ?? []) as { manager?: string }[];
      seen.push(`${object.metadata?.name ?? "?"}:${entry?.manager ?? "none"}`);
    };
    const { lw, informer, stop, start } = setup({ inspect });
    lw.lists.push({ items: [cm("a", "1")], resourceVersion: "10" });
    const running = start();
    expect(await informer.waitForSync(stop.signal)).toBe(true);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    lw.latest().push({ type: "ADDED", object: cm("b", "11") }, { type: "DELETED", object: cm("a", "12") });
    await vi.waitFor(() => { expect(seen).toEqual(["a:kubectl", "b:kubectl", "a:kubectl"]); });
    expect(informer.get("ns/b")?.metadata?.managedFields).toBeUndefined();
    stop.abort();
    await running;
  });

  it("restarts a failed watch from the last resourceVersion after a backoff, without relisting", async () => {
    const { clock, lw, informer, stop, start } = setup();
    lw.lists.push({ items: [], resourceVersion: "5" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    lw.latest().push({ type: "ADDED", object: cm("a", "6") });
    await vi.waitFor(() => { expect(informer.lastSyncResourceVersion()).toBe("6"); });
    lw.latest().fail(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([100]); });
    clock.advance(99);
    expect(lw.watches).toHaveLength(1);
    clock.advance(1);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(2); });
    expect(lw.latest().resourceVersion).toBe("6");

    lw.latest().fail(new ApiException(503, "unavailable", {}, {}));
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([200]); });
    clock.advance(100);
    expect(lw.watches).toHaveLength(2);
    clock.advance(100);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(3); });
    expect(lw.listCalls).toBe(1);
    stop.abort();
    await running;
  });

  it.each([
    { name: "an ERROR 410 event", expire: (lw: ScriptedListerWatcher) => { lw.latest().push({ type: "ERROR", code: 410, reason: "Expired", message: "too old" }); } },
    { name: "a 410 answer to the watch request", expire: (lw: ScriptedListerWatcher) => { lw.latest().fail(new ApiException(410, "gone", {}, {})); } },
  ])("relists after $name, delivering deletions the relist discovers", async ({ expire }) => {
    const { lw, informer, events, stop, start } = setup();
    lw.lists.push({ items: [cm("a", "1"), cm("b", "2")], resourceVersion: "2" });
    lw.lists.push({ items: [cm("a", "1"), cm("c", "30")], resourceVersion: "31" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    expire(lw);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(2); });
    expect(lw.listCalls).toBe(2);
    expect(lw.latest().resourceVersion).toBe("31");
    expect(events).toEqual(["add a@1", "add b@2", "add c@30", "delete b@2"]);
    expect(informer.list().map((o) => o.metadata?.name).sort()).toEqual(["a", "c"]);
    stop.abort();
    await running;
  });

  it("restarts a watch that stays silent longer than the inactivity timeout", async () => {
    const { clock, lw, stop, start } = setup({ inactivityTimeoutMs: 5_000 });
    lw.lists.push({ items: [], resourceVersion: "3" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    clock.advance(4_000);
    lw.latest().push({ type: "BOOKMARK", resourceVersion: "4" });
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([5_000]); });
    clock.advance(4_999);
    expect(lw.latest().signal.aborted).toBe(false);
    clock.advance(1);
    expect(lw.watches[0]?.signal.aborted).toBe(true);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(2); });
    expect(lw.latest().resourceVersion).toBe("4");
    stop.abort();
    await running;
  });

  it("retries a failing list with backoff and syncs once it succeeds", async () => {
    const { clock, lw, informer, stop, start } = setup();
    lw.lists.push(new Error("connection refused"), new ApiException(500, "etcd down", {}, {}), { items: [cm("a", "1")], resourceVersion: "1" });
    const running = start();
    const synced = informer.waitForSync(stop.signal);
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([100]); });
    expect(lw.listCalls).toBe(1);
    clock.advance(100);
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([200]); });
    expect(lw.listCalls).toBe(2);
    expect(informer.hasSynced()).toBe(false);
    clock.advance(200);
    expect(await synced).toBe(true);
    expect(informer.hasSynced()).toBe(true);
    stop.abort();
    await running;
  });

  it("waits with backoff after a watch that closes without any event, and at once after one that delivered", async () => {
    const { clock, lw, stop, start } = setup();
    lw.lists.push({ items: [], resourceVersion: "1" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    lw.latest().end();
    await vi.waitFor(() => { expect(clock.pendingDelays()).toEqual([100]); });
    expect(lw.watches).toHaveLength(1);
    clock.advance(100);
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(2); });
    lw.latest().push({ type: "BOOKMARK", resourceVersion: "2" });
    lw.latest().end();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(3); });
    stop.abort();
    await running;
  });

  it("re-delivers every cached object on resync", async () => {
    const { clock, lw, events, stop, start } = setup({ resyncPeriodMs: 60_000 });
    lw.lists.push({ items: [cm("a", "1"), cm("b", "2")], resourceVersion: "2" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    clock.advance(60_000);
    expect(events).toEqual(["add a@1", "add b@2", "update a@1->a@1", "update b@2->b@2"]);
    clock.advance(60_000);
    expect(events).toHaveLength(6);
    stop.abort();
    await running;
    expect(clock.pendingTimers()).toBe(0);
  });

  it("isolates a throwing handler and replays the cache to a late handler", async () => {
    const { lw, informer, events, stop, start } = setup();
    informer.addEventHandler({ onAdd: () => { throw new Error("handler bug"); } });
    lw.lists.push({ items: [cm("a", "1")], resourceVersion: "1" });
    const running = start();
    await vi.waitFor(() => { expect(lw.watches).toHaveLength(1); });
    lw.latest().push({ type: "ADDED", object: cm("b", "2") });
    await vi.waitFor(() => { expect(events).toEqual(["add a@1", "add b@2"]); });

    const late = recorder();
    const remove = informer.addEventHandler(late.handler);
    expect(late.events.sort()).toEqual(["add a@1", "add b@2"]);
    remove();
    lw.latest().push({ type: "ADDED", object: cm("c", "3") });
    await vi.waitFor(() => { expect(events).toContain("add c@3"); });
    expect(late.events).toHaveLength(2);
    stop.abort();
    await running;
  });

  it("supports custom indexes", async () => {
    const clock = new ManualClock();
    const lw = new ScriptedListerWatcher();
    const informer = new SharedInformer<KubeObject>({
      resource: "configmaps",
      listerWatcher: lw,
      clock,
      logger: silent,
      indexers: { owner: (o) => [o.metadata?.labels?.owner ?? ""] },
    });
    const withOwner = (name: string, owner: string): KubeObject => ({ metadata: { name, namespace: "ns", resourceVersion: "1", labels: { owner } } });
    lw.lists.push({ items: [withOwner("a", "x"), withOwner("b", "y"), withOwner("c", "x")], resourceVersion: "1" });
    const stop = new AbortController();
    const running = informer.run(stop.signal);
    await informer.waitForSync(stop.signal);
    expect(informer.byIndex("owner", "x").map((o) => o.metadata?.name).sort()).toEqual(["a", "c"]);
    stop.abort();
    await running;
  });

  it("waitForSync answers false when its signal aborts first", async () => {
    const { informer } = setup();
    const abort = new AbortController();
    const waiting = informer.waitForSync(abort.signal);
    abort.abort();
    expect(await waiting).toBe(false);
  });
});

describe("enqueueKeys", () => {
  it("adds the object's key, or the mapped keys, for every kind of event", () => {
    const added: string[] = [];
    const queue = { add: (key: string) => added.push(key) };
    const direct = enqueueKeys(queue);
    direct.onAdd?.(cm("a", "1"));
    direct.onUpdate?.(cm("a", "1"), cm("a", "2"));
    direct.onDelete?.(cm("b", "3"));
    const mapped = enqueueKeys(queue, (o) => [`owners/${o.metadata?.name ?? ""}`]);
    mapped.onAdd?.(cm("c", "1"));
    expect(added).toEqual(["ns/a", "ns/a", "ns/b", "owners/c"]);
  });

  it("enqueues only the updates the filter accepts; adds and deletes always", () => {
    const added: string[] = [];
    const queue = { add: (key: string) => added.push(key) };
    const handler = enqueueKeys<ReturnType<typeof cm>>(queue, undefined, (old, object) => old.data.mode !== object.data.mode);
    handler.onUpdate?.(cm("a", "1", { mode: "x", noise: "1" }), cm("a", "2", { mode: "x", noise: "2" }));
    handler.onUpdate?.(cm("b", "1", { mode: "x" }), cm("b", "2", { mode: "y" }));
    handler.onAdd?.(cm("c", "1", { mode: "x" }));
    handler.onDelete?.(cm("d", "1", { mode: "x" }));
    expect(added).toEqual(["ns/b", "ns/c", "ns/d"]);
  });
});
