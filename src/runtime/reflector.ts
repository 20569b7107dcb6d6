import type { KubeObject } from "./kube-object.ts";
import type { Logger } from "pino";
import { Backoff, defaultWatchBackoff, type BackoffOptions } from "./backoff.ts";
import { sleep, type RuntimeClock, type TimerHandle } from "./clock.ts";
import { apiErrorStatus, isGone } from "./errors.ts";
import { linkedAbort } from "./linked-abort.ts";
import type { ListerWatcher, ObjectWatchEvent } from "./lister-watcher.ts";

/** Where a reflector writes what it learns. */
export interface ReflectorSink<T> {
  /** The collection is exactly `items` as of `resourceVersion`. */
  replace(items: T[], resourceVersion: string): void;
  /** One change, in the order the server reported it. */
  apply(event: ObjectWatchEvent<T>): void;
}

/** Tuning of a reflector; every field has a default. */
export interface ReflectorTuning {
  /** Delays between failed attempts; default 800 ms doubling to 30 s, jittered. */
  backoff?: BackoffOptions;
  /** A watch that delivers nothing (not even a bookmark) for this long is restarted; default 3 min. */
  inactivityTimeoutMs?: number;
  /** A list taking longer than this is abandoned and retried; default 60 s. */
  listTimeoutMs?: number;
}

/** What a reflector needs. */
export interface ReflectorOptions<T extends KubeObject> extends ReflectorTuning {
  /** Names the collection in logs, e.g. "configmaps". */
  resource: string;
  listerWatcher: ListerWatcher<T>;
  sink: ReflectorSink<T>;
  clock: RuntimeClock;
  logger: Logger;
}

type WatchOutcome =
  | { kind: "closed"; events: number }
  | { kind: "expired" }
  | { kind: "inactive" }
  | { kind: "stopped" }
  | { kind: "failed"; error: unknown };

/** A watch stream reported an ERROR event other than 410 Gone. */
export class WatchStatusError extends Error {
  override readonly name = "WatchStatusError";
  readonly code: number | undefined;
  readonly reason: string | undefined;

  constructor(code: number | undefined, reason: string | undefined, message: string | undefined) {
    super(message ?? "watch reported an error");
    this.code = code;
    this.reason = reason;
  }
}

/** The abort reason of a watch stopped for silence. */
const watchSilent = new Error("watch silent longer than the inactivity timeout");

/** The abort reason of a list that took longer than the list timeout. */
const listTimedOut = new Error("list took longer than the list timeout");

function positive(field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${field} must be a finite number > 0, got ${String(value)}`);
  return value;
}

function errorFields(error: unknown): Record<string, unknown> {
  const status = apiErrorStatus(error) ?? (error instanceof WatchStatusError ? error.code : undefined);
  return { err: error, status };
}

/**
 * Keeps a sink in step with a collection, the way client-go's reflector does: list, then watch
 * from the list's resourceVersion; follow bookmarks; relist when the resourceVersion expires
 * (410 Gone); and restart after any error, unexpected end of stream or a silence longer than
 * the inactivity timeout, waiting a jittered exponential backoff between failed attempts.
 * It never gives up until its signal aborts.
 */
export class Reflector<T extends KubeObject> {
  readonly #options: ReflectorOptions<T>;
  readonly #backoff: Backoff;
  readonly #inactivityTimeoutMs: number;
  readonly #listTimeoutMs: number;
  readonly #logger: Logger;
  #resourceVersion = "";
  #healthy = true;

  constructor(options: ReflectorOptions<T>) {
    this.#options = options;
    this.#backoff = new Backoff(options.backoff ?? defaultWatchBackoff);
    this.#inactivityTimeoutMs = positive("inactivityTimeoutMs", options.inactivityTimeoutMs ?? 180_000);
    this.#listTimeoutMs = positive("listTimeoutMs", options.listTimeoutMs ?? 60_000);
    this.#logger = options.logger.child({ resource: options.resource });
  }

  /** The resourceVersion the sink is up to date with ("" before the first list). */
  get lastSyncResourceVersion(): string {
    return this.#resourceVersion;
  }

  /** Lists and watches until `signal` aborts; never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      if (this.#resourceVersion === "") {
        const listed = await this.#list(signal);
        if (!listed.ok) {
          await this.#pause("list failed; retrying", listed.error, signal);
          continue;
        }
      }
      const outcome = await this.#watch(signal);
      switch (outcome.kind) {
        case "stopped":
          return;
        case "expired":
          this.#logger.info({ resourceVersion: this.#resourceVersion }, "watch resourceVersion expired; relisting");
          this.#resourceVersion = "";
          break;
        case "inactive":
          this.#markUnhealthy();
          this.#logger.warn({ inactivityTimeoutMs: this.#inactivityTimeoutMs }, "watch silent too long; restarting");
          break;
        case "closed":
          if (outcome.events === 0) await this.#pause("watch closed without events; restarting", undefined, signal);
          break;
        case "failed":
          await this.#pause("watch failed; restarting", outcome.error, signal);
          break;
      }
    }
  }

  async #list(signal: AbortSignal): Promise<{ ok: true } | { ok: false; error: unknown }> {
    const attempt = linkedAbort(signal);
    const timer = this.#options.clock.setTimer(this.#listTimeoutMs, () => { attempt.abort(listTimedOut); });
    try {
      const list = await this.#options.listerWatcher.list(attempt.signal);
      this.#options.sink.replace(list.items, list.resourceVersion);
      this.#resourceVersion = list.resourceVersion;
      this.#markHealthy();
      this.#logger.info({ count: list.items.length, resourceVersion: list.resourceVersion }, "collection listed");
      return { ok: true };
    } catch (error: unknown) {
      return { ok: false, error: attempt.signal.reason === listTimedOut ? listTimedOut : error };
    } finally {
      timer.cancel();
      attempt.dispose();
    }
  }

  async #watch(signal: AbortSignal): Promise<WatchOutcome> {
    const stream = linkedAbort(signal);
    const silence = (): TimerHandle =>
      this.#options.clock.setTimer(this.#inactivityTimeoutMs, () => { stream.abort(watchSilent); });
    let timer = silence();
    let events = 0;
    try {
      for await (const event of this.#options.listerWatcher.watch(this.#resourceVersion, stream.signal)) {
        timer.cancel();
        timer = silence();
        if (event.type === "ERROR") {
          if (event.code === 410) return { kind: "expired" };
          return { kind: "failed", error: new WatchStatusError(event.code, event.reason, event.message) };
        }
        events++;
        if (event.type === "BOOKMARK") {
          this.#resourceVersion = event.resourceVersion;
        } else {
          this.#options.sink.apply(event);
          this.#resourceVersion = event.object.metadata?.resourceVersion ?? this.#resourceVersion;
        }
        this.#markHealthy();
      }
      return signal.aborted ? { kind: "stopped" } : { kind: "closed", events };
    } catch (error: unknown) {
      if (signal.aborted) return { kind: "stopped" };
      if (stream.signal.reason === watchSilent) return { kind: "inactive" };
      if (isGone(error)) return { kind: "expired" };
      return { kind: "failed", error };
    } finally {
      timer.cancel();
      stream.dispose();
    }
  }

  async #pause(message: string, error: unknown, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    this.#markUnhealthy();
    const delayMs = this.#backoff.next();
    this.#logger.warn({ ...errorFields(error), delayMs }, message);
    await sleep(this.#options.clock, delayMs, signal);
  }

  #markHealthy(): void {
    this.#backoff.reset();
    if (this.#healthy) return;
    this.#healthy = true;
    this.#logger.info({ resourceVersion: this.#resourceVersion }, "list-watch recovered");
  }

  #markUnhealthy(): void {
    this.#healthy = false;
  }
}
