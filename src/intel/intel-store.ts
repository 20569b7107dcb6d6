/* eslint-disable @typescript-eslint/no-unused-vars -- the bodies come with the implementation */
import type { ObservableType, Severity } from "../api/v1alpha1/index.ts";
import type { FeedIndex } from "./feed-index.ts";
import type { IndicatorType } from "./indicator.ts";

/** One feed's indicator matching a value. */
export interface IntelMatch {
  /** `namespace/name` of the feed. */
  readonly feed: string;
  /** The indicator that matched, canonical (a range or parent domain may match a more specific value). */
  readonly indicator: string;
  readonly type: IndicatorType;
  readonly confidence: number;
  /** The feed's labels, then the indicator's own. */
  readonly labels: readonly string[];
  /** The feed's severity, when it states one. */
  readonly severity?: Severity;
}

/** Whose feeds apply, and when. */
export interface MatchScope {
  /** The namespace of the Incident the value belongs to; undefined for none (only the operator's feeds apply). */
  readonly namespace: string | undefined;
  /** Epoch milliseconds at which validity is judged. */
  readonly now: number;
}

/** A summary of one feed held by a store. */
export interface FeedSummary {
  readonly key: string;
  readonly namespace: string;
  readonly size: number;
  readonly counts: Readonly<Record<IndicatorType, number>>;
  readonly loadedAt: number;
}

/**
 * The feeds of the operator, each one index, matched under the tenancy rule of Playbooks: a feed
 * in the operator's namespace applies to every value, a feed of another namespace only to values
 * of Incidents of its own namespace. Replacing or deleting a feed is atomic: a match sees a feed's
 * old index or its new one, never a mix.
 */
export class IntelStore {
  readonly operatorNamespace: string;

  constructor(operatorNamespace: string) {
    this.operatorNamespace = operatorNamespace;
  }

  /** Holds `index` as the feed `index.key`, replacing that feed's previous index. */
  set(index: FeedIndex): void {
    throw new Error("not implemented");
  }

  /** Drops the feed `key`; true when it was held. */
  delete(key: string): boolean {
    throw new Error("not implemented");
  }

  /** The index of feed `key`, if held. */
  get(key: string): FeedIndex | undefined {
    throw new Error("not implemented");
  }

  /** The keys of the feeds held, sorted. */
  keys(): readonly string[] {
    throw new Error("not implemented");
  }

  /** A summary of every feed held, sorted by key. */
  feeds(): readonly FeedSummary[] {
    throw new Error("not implemented");
  }

  /**
   * The matches of `value` in every feed applying to `scope`, sorted by feed key then indicator
   * type. The type is inferred from the value's form (`canonicalIndicator`); a URL also matches
   * indicators of its host (a domain or an address). A value of no indicator type matches nothing.
   */
  match(value: string, scope: MatchScope): readonly IntelMatch[] {
    throw new Error("not implemented");
  }

  /**
   * The matches of an Incident observable, like {@link IntelStore.match} for its value with the
   * type it states: `ip` as an address, `domain`, `url` (and its host), `hash` by its length;
   * `user` and `process` observables match nothing.
   */
  matchObservable(observable: { readonly type: ObservableType; readonly value: string }, scope: MatchScope): readonly IntelMatch[] {
    throw new Error("not implemented");
  }
}
