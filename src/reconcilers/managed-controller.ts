import type { Logger } from "pino";
import type { Controller } from "../runtime/controller.ts";
import { linkedAbort } from "../runtime/linked-abort.ts";

/** A controller ready to be wired into the process: caches registered, not yet running. */
export interface ManagedController {
  /**
   * Waits for the controller's caches, then reconciles until `signal` aborts or `stop` is
   * called, and resolves once in-flight reconciles finished. The informer factory must be
   * started by its owner; this only waits for the caches it needs.
   */
  start(signal: AbortSignal): Promise<void>;
  /** Stops a started controller; `start` then resolves. */
  stop(): void;
  /** True once every cache the controller reads has synced. */
  hasSynced(): boolean;
}

/** Longest wait for queued work after a controller stopped. */
export const DRAIN_TIMEOUT_MS = 5_000;

async function drainWithin(drain: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => { timer = setTimeout(resolve, timeoutMs); });
  try {
    await Promise.race([drain(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A {@link ManagedController} around a runtime Controller and the caches it reads. */
export function managedController(options: {
  controller: Controller;
  caches: readonly { hasSynced(): boolean; waitForSync(signal: AbortSignal): Promise<boolean> }[];
  /** Already carries the controller's name. */
  logger: Logger;
  /** Runs when the controller starts; the function it returns runs when it has stopped. */
  whileRunning?: () => () => void;
  /** Work the reconciles queued (Events) that is finished, for at most {@link DRAIN_TIMEOUT_MS}, once the controller stopped. */
  drain?: () => Promise<void>;
}): ManagedController {
  let running: ReturnType<typeof linkedAbort> | undefined;
  return {
    async start(signal) {
      if (running !== undefined) throw new Error(`controller ${options.controller.name} is already started`);
      const abort = linkedAbort(signal);
      running = abort;
      const release = options.whileRunning?.();
      try {
        const synced = await Promise.all(options.caches.map((cache) => cache.waitForSync(abort.signal)));
        if (!synced.every(Boolean)) return;
        options.logger.info("controller caches synced");
        await options.controller.start(abort.signal);
      } finally {
        abort.dispose();
        release?.();
        if (options.drain !== undefined) await drainWithin(options.drain, DRAIN_TIMEOUT_MS);
      }
    },
    stop() {
      running?.abort(new Error("controller stopped"));
    },
    hasSynced() {
      return options.caches.every((cache) => cache.hasSynced());
    },
  };
}
