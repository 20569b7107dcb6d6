/** An abort controller that also aborts when a parent signal does. */
export interface LinkedAbort {
  /** Aborts when the parent aborts (at once if it already had) or when `abort` is called. */
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Stops following the parent; call it when done so long-lived parents keep no reference. */
  dispose(): void;
}

/** A child of `parent` that can also be aborted on its own, e.g. by a timeout. */
export function linkedAbort(parent: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  const onAbort = (): void => {
    controller.abort(parent.reason);
  };
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    abort: (reason?: unknown) => {
      controller.abort(reason);
    },
    dispose: () => {
      parent.removeEventListener("abort", onAbort);
    },
  };
}
