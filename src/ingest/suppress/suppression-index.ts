import type { AlertSuppression } from "../../api/v1alpha1/types.generated.ts";
import type { ExpressionCompiler } from "../../expr/index.ts";
import { suppressionMaySilence } from "../../policy/index.ts";
import type { Clock } from "../../runtime/clock.ts";
import { compileSuppression, suppressionMatches, suppressionState, type CompiledSuppression } from "../../suppression/index.ts";
import type { EventVariables } from "../match/event-variables.ts";

/** What silencing an alert looks at: its attributes, its CEL event, and where its Incidents would live. */
export interface SilenceInput {
  readonly type: string;
  /** Falco rule or Alertmanager alert name (see `alertRule`). */
  readonly rule: string | undefined;
  /** The alert's affected namespace. */
  readonly namespace: string | undefined;
  readonly variables: EventVariables;
  /** Namespaces of the Incidents the alert would open or update. */
  readonly incidentNamespaces: readonly string[];
}

/** Which of an alert's Incidents are silenced, and by which suppressions. */
export interface Silencing {
  /** Keys (`namespace/name`) of the suppressions that silenced at least one of the alert's Incidents, ordered. */
  readonly by: readonly string[];
  /** Whether the alert's Incident in `namespace` is silenced. */
  silences(namespace: string): boolean;
}

/** Nothing silenced. */
export const NOTHING_SILENCED: Silencing = { by: [], silences: () => false };

function keyOf(suppression: AlertSuppression): string {
  return `${suppression.metadata.namespace ?? ""}/${suppression.metadata.name ?? ""}`;
}

/**
 * The AlertSuppressions of the watched namespaces, compiled once per generation and kept by
 * namespace, so that silencing an alert looks only at the suppressions that may silence one of
 * its Incidents ({@link suppressionMaySilence}: those of the operator's namespace, and those of
 * each Incident's namespace). Whether a suppression is active is decided at every alert, on the
 * clock, so an expired suppression stops silencing at its `expiresAt` whatever its status says.
 */
export class SuppressionIndex {
  readonly #expressions: ExpressionCompiler;
  readonly #operatorNamespace: string;
  readonly #maxDurationMs: number;
  readonly #clock: Clock;
  readonly #byNamespace = new Map<string, Map<string, CompiledSuppression>>();

  constructor(options: { expressions: ExpressionCompiler; operatorNamespace: string; maxDurationMs: number; clock: Clock }) {
    this.#expressions = options.expressions;
    this.#operatorNamespace = options.operatorNamespace;
    this.#maxDurationMs = options.maxDurationMs;
    this.#clock = options.clock;
  }

  /** Suppressions held, whether active or not. */
  get size(): number {
    let size = 0;
    for (const entries of this.#byNamespace.values()) size += entries.size;
    return size;
  }

  /** Adds or replaces a suppression; compiled again only when its uid or generation changed. */
  upsert(suppression: AlertSuppression): void {
    const namespace = suppression.metadata.namespace ?? "";
    const key = keyOf(suppression);
    let entries = this.#byNamespace.get(namespace);
    const current = entries?.get(key);
    if (current !== undefined && current.uid !== undefined && current.uid === suppression.metadata.uid && current.generation === suppression.metadata.generation) return;
    if (entries === undefined) {
      entries = new Map();
      this.#byNamespace.set(namespace, entries);
    }
    entries.set(key, compileSuppression(suppression, this.#expressions));
  }

  /** Removes the suppression `namespace/name`; a no-op when absent. */
  remove(key: string): void {
    const namespace = key.slice(0, key.indexOf("/"));
    const entries = this.#byNamespace.get(namespace);
    entries?.delete(key);
    if (entries?.size === 0) this.#byNamespace.delete(namespace);
  }

  /** The uid of the suppression held as `key`. */
  uidOf(key: string): string | undefined {
    return this.#byNamespace.get(key.slice(0, key.indexOf("/")))?.get(key)?.uid;
  }

  /**
   * Which of the alert's Incidents the active suppressions silence, in steps: the generator pauses
   * (yields) after each suppression evaluated while others remain and after preparing the event
   * for CEL, so that its caller can let other work run. Every candidate is evaluated, so each
   * suppression that matches is counted, whichever others match too. A suppression of the
   * operator's namespace silences every Incident of the alert; any other only the alert's Incident
   * in its own namespace.
   */
  *silenceSteps(input: SilenceInput): Generator<void, Silencing, void> {
    const candidates = this.#candidates(input.incidentNamespaces);
    if (candidates.length === 0) return NOTHING_SILENCED;
    const nowMs = this.#clock.now().getTime();
    const by: string[] = [];
    const silenced = new Set<string>();
    let silencesAll = false;
    for (const [position, suppression] of candidates.entries()) {
      if (position > 0) yield;
      if (!suppressionState(suppression, nowMs, this.#maxDurationMs).active) continue;
      if (suppression.match !== undefined && !input.variables.isPrepared) {
        input.variables.prepared();
        yield;
      }
      const matched = suppressionMatches(suppression, {
        type: input.type,
        rule: input.rule,
        namespace: input.namespace,
        variables: suppression.match === undefined ? undefined : input.variables.prepared(),
      });
      if (!matched) continue;
      by.push(suppression.key);
      if (suppression.namespace === this.#operatorNamespace) silencesAll = true;
      else silenced.add(suppression.namespace);
    }
    if (by.length === 0) return NOTHING_SILENCED;
    return { by: by.sort(), silences: (namespace) => silencesAll || silenced.has(namespace) };
  }

  #candidates(incidentNamespaces: readonly string[]): CompiledSuppression[] {
    const namespaces = new Set([this.#operatorNamespace, ...incidentNamespaces]);
    const candidates: CompiledSuppression[] = [];
    for (const namespace of namespaces) {
      for (const suppression of this.#byNamespace.get(namespace)?.values() ?? []) {
        if (incidentNamespaces.some((incident) => suppressionMaySilence(suppression.namespace, incident, this.#operatorNamespace))) candidates.push(suppression);
      }
    }
    return candidates;
  }
}
