import type { PlaybookRun } from "../api/v1alpha1/types.generated.ts";
import type { StepKind } from "../playbook/index.ts";
import { resolveUnknownOutcome } from "./intent-resolution.ts";
import type { StepEffect } from "./step-effects.ts";

/**
 * Intent before side effect, the engine's crash-safety protocol, in one place:
 *
 * 1. plan starts an attempt by recording its intent (attempt, deterministic id, time) in the
 *    step and requests nothing;
 * 2. once the status write that holds the intent succeeded, {@link IntentLedger.recordDurable}
 *    marks the new intents of guarded kinds (actions, connector calls, notifications) *fresh*:
 *    this process knows they have not been carried out;
 * 3. plan requests the side effect of an intent only when it is durable (the persisted step
 *    carries it) and, per {@link intentDisposition}, fresh or harmless to repeat; otherwise the
 *    step fails with OutcomeUnknown;
 * 4. before execute carries any effect out, {@link IntentLedger.takeForExecution} removes its
 *    intent from the fresh set: from then on it counts as carried out, whatever happens to the
 *    reconcile (a crash, a throw, a lost write), so it is never repeated unless that is harmless.
 *
 * An Incident's escalation levels follow the same protocol with their own intent ids (see
 * `reconcilers/incident/escalation-plan.ts`); a level whose intent is not fresh is never repeated.
 *
 * The ledger lives in memory and is lost on restart on purpose: an intent it does not list may
 * have been carried out.
 */
export class IntentLedger {
  /** Incident key → fresh intent ids. */
  readonly #fresh = new Map<string, Set<string>>();

  /** The fresh intents of an Incident, for planning. */
  fresh(key: string): ReadonlySet<string> {
    return this.#fresh.get(key) ?? new Set();
  }

  /** Step 2: intents that a successful status write made durable and nothing carried out yet. */
  recordDurable(key: string, ids: Iterable<string>): void {
    const fresh = this.#fresh.get(key) ?? new Set<string>();
    for (const id of ids) fresh.add(id);
    if (fresh.size > 0) this.#fresh.set(key, fresh);
  }

  /**
   * Step 4: the effects about to be carried out (step effects, escalation calls: whatever carries
   * an intent id) stop being fresh; returns them unchanged.
   */
  takeForExecution<E extends StepEffect | { readonly intentId: string }>(key: string, effects: readonly E[]): readonly E[] {
    const fresh = this.#fresh.get(key);
    for (const effect of effects) if ("intentId" in effect) fresh?.delete(effect.intentId);
    return effects;
  }

  /** Forgets an Incident that no longer exists. */
  forget(key: string): void {
    this.#fresh.delete(key);
  }
}

/** An intent that a status write recorded, with the kind of its step. */
export interface NewIntent {
  readonly id: string;
  readonly kind: StepKind | undefined;
}

/** Intents of running steps that `after` records and `before` did not, with the step's kind. */
export function newIntents(
  before: readonly PlaybookRun[],
  after: readonly PlaybookRun[],
  kindOf: (playbook: string, step: string) => StepKind | undefined,
): NewIntent[] {
  const known = new Set(before.flatMap((run) => (run.steps ?? []).flatMap((step) => (step.intent === undefined ? [] : [step.intent.id]))));
  return after.flatMap((run) =>
    (run.steps ?? []).flatMap((step) =>
      step.phase === "Running" && step.intent !== undefined && !known.has(step.intent.id) ? [{ id: step.intent.id, kind: kindOf(run.name, step.name) }] : [],
    ),
  );
}

/** What plan does with a running step's intent. */
export type IntentDisposition =
  /** The intent is not durable yet (it was recorded in this pass): wait for the write. */
  | "wait"
  /** Request the side effect. */
  | "carry-out"
  /** Fail the step with OutcomeUnknown: the effect may have happened, and repeating it may not be harmless. */
  | "outcome-unknown";

/** Step 3: decides a running step's intent from its durability, freshness, kind and `safeToRetry`. */
export function intentDisposition(args: {
  readonly id: string;
  readonly durableId: string | undefined;
  readonly fresh: ReadonlySet<string>;
  readonly kind: StepKind;
  readonly safeToRetry: boolean;
}): IntentDisposition {
  if (args.durableId !== args.id) return "wait";
  if (args.fresh.has(args.id)) return "carry-out";
  return resolveUnknownOutcome(args.kind, args.safeToRetry) === "repeat" ? "carry-out" : "outcome-unknown";
}
