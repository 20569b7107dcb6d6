import type { Playbook, Severity } from "../../api/v1alpha1/types.generated.ts";
import { evaluateString } from "../../expr/index.ts";
import { triggerMatches, type CompiledPlaybook, type PlaybookCompiler } from "../../playbook/index.ts";
import { playbookMaySeeAlert } from "../../policy/index.ts";
import { EventVariables } from "./event-variables.ts";

/** What a Playbook trigger is matched against. */
export interface MatchInput {
  type: string;
  source: string;
  severity: Severity;
  /** The alert's affected namespace; undefined when it names none (a Node, the cluster). */
  namespace: string | undefined;
  /** The object CEL expressions see as `event`. */
  event: unknown;
  /** `event` converted for CEL, shared with the other expressions evaluated for the alert; made from `event` when absent. */
  variables?: EventVariables;
}

/** A Playbook whose trigger matched, with its dedup settings evaluated for the event. */
export interface PlaybookMatch {
  namespace: string;
  name: string;
  /** The Playbook's dedup key for this event; undefined when it has none or it failed to evaluate. */
  dedupKey: string | undefined;
  /** The Playbook's dedup window; undefined when it does not set one. */
  windowMs: number | undefined;
}

interface Entry {
  key: string;
  compiled: CompiledPlaybook;
  /** Types the trigger restricts to; undefined when it accepts every type. */
  types: readonly string[] | undefined;
}

function playbookKey(playbook: Playbook): string {
  return `${playbook.metadata.namespace ?? ""}/${playbook.metadata.name ?? ""}`;
}

/**
 * Why a Playbook takes no part in matching, or undefined when it does: suspended, failing to
 * compile, or reported not Ready by its reconciler for its current generation (a Playbook not
 * yet reconciled matches as soon as it compiles).
 */
export function ineligibility(playbook: Playbook, compiled: CompiledPlaybook): string | undefined {
  if (compiled.suspend) return "suspended";
  if (compiled.problems.length > 0) return "invalid";
  const generation = playbook.metadata.generation;
  const ready = playbook.status?.conditions?.find((condition) => condition.type === "Ready");
  if (ready?.status === "False" && ready.observedGeneration === generation) return "not-ready";
  return undefined;
}

/**
 * The eligible Playbooks of all watched namespaces, compiled once per generation (through the
 * shared {@link PlaybookCompiler}) and indexed by the CloudEvent types their triggers name, so
 * matching an event looks only at the Playbooks for its type plus those accepting any type.
 * Only Playbooks that may see the alert ({@link playbookMaySeeAlert}: those of the operator's
 * namespace, and those of the alert's own namespace) are evaluated at all.
 */
export class PlaybookIndex {
  readonly #compiler: PlaybookCompiler;
  readonly #operatorNamespace: string;
  readonly #entries = new Map<string, Entry>();
  readonly #byType = new Map<string, Set<string>>();
  readonly #anyType = new Set<string>();

  /** `operatorNamespace` is the operator's own namespace, whose Playbooks see every alert. */
  constructor(compiler: PlaybookCompiler, operatorNamespace: string) {
    this.#compiler = compiler;
    this.#operatorNamespace = operatorNamespace;
  }

  /** Playbooks currently taking part in matching. */
  get size(): number {
    return this.#entries.size;
  }

  /** Adds or replaces a Playbook; an ineligible one is removed from the index. */
  upsert(playbook: Playbook): void {
    const key = playbookKey(playbook);
    this.remove(key);
    const compiled = this.#compiler.compile(playbook);
    if (ineligibility(playbook, compiled) !== undefined) return;
    const types = compiled.trigger.types === undefined ? undefined : [...compiled.trigger.types];
    this.#entries.set(key, { key, compiled, types });
    if (types === undefined) {
      this.#anyType.add(key);
      return;
    }
    for (const type of types) {
      let keys = this.#byType.get(type);
      if (keys === undefined) {
        keys = new Set();
        this.#byType.set(type, keys);
      }
      keys.add(key);
    }
  }

  /** Removes the Playbook `namespace/name`; a no-op when absent. */
  remove(key: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#entries.delete(key);
    if (entry.types === undefined) {
      this.#anyType.delete(key);
      return;
    }
    for (const type of entry.types) {
      const keys = this.#byType.get(type);
      keys?.delete(key);
      if (keys?.size === 0) this.#byType.delete(type);
    }
  }

  /** Removes every Playbook; used when the cache is replaced. */
  clear(): void {
    this.#entries.clear();
    this.#byType.clear();
    this.#anyType.clear();
  }

  /**
   * The Playbooks that may see the alert and whose trigger matches, ordered by namespace and
   * name, each with its dedup key evaluated. An event CEL cannot represent matches only triggers
   * without `when`; a dedup key that fails to evaluate falls back to the fingerprint (undefined).
   */
  match(input: MatchInput): PlaybookMatch[] {
    const steps = this.matchSteps(input);
    for (;;) {
      const step = steps.next();
      if (step.done === true) return step.value;
    }
  }

  /**
   * {@link match} in steps: the generator pauses (yields) after preparing the event for CEL and
   * after each Playbook evaluated while others remain, and returns the matches. Its caller can
   * let other work run at every pause, so many Playbooks of heavy CEL never run back to back in
   * one piece of synchronous work. The candidates are chosen at the start; a Playbook changed
   * meanwhile is evaluated as it was then.
   */
  *matchSteps(input: MatchInput): Generator<void, PlaybookMatch[], void> {
    const candidates: Entry[] = [];
    for (const key of [...(this.#byType.get(input.type) ?? []), ...this.#anyType]) {
      const entry = this.#entries.get(key);
      if (entry !== undefined && playbookMaySeeAlert(entry.compiled.namespace, input.namespace, this.#operatorNamespace)) candidates.push(entry);
    }
    if (candidates.length === 0) return [];
    // Prepared once, for the first Playbook that needs CEL (unless already prepared for the alert).
    const variables = input.variables ?? new EventVariables(input.event);
    const matches: PlaybookMatch[] = [];
    for (const [position, { compiled }] of candidates.entries()) {
      if (position > 0) yield;
      const needsCel = compiled.trigger.when !== undefined || compiled.dedup.key !== undefined;
      if (needsCel && !variables.isPrepared) {
        variables.prepared();
        yield;
      }
      const celInput = needsCel ? variables.prepared() : undefined;
      if (compiled.trigger.when !== undefined && celInput === undefined) continue;
      const matched = triggerMatches(compiled.trigger, {
        type: input.type,
        source: input.source,
        severity: input.severity,
        variables: celInput ?? { event: input.event },
      });
      if (!matched) continue;
      let dedupKey: string | undefined;
      if (compiled.dedup.key !== undefined && celInput !== undefined) {
        const key = evaluateString(compiled.dedup.key, celInput);
        if (key.ok && key.value !== "") dedupKey = key.value;
      }
      matches.push({
        namespace: compiled.namespace,
        name: compiled.name,
        dedupKey,
        windowMs: compiled.source.spec.dedup?.window === undefined ? undefined : compiled.dedup.windowMs,
      });
    }
    return matches.sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
