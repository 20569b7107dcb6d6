import type { ObservableType, Severity } from "../api/v1alpha1/index.ts";
import type { FeedIndex } from "./feed-index.ts";
import { INDICATOR_TYPES, type IndicatorType } from "./indicator.ts";
import { IndicatorValue, type IndicatorKind } from "./indicator-value.ts";

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

const OBSERVABLE_KINDS: Readonly<Record<ObservableType, IndicatorKind | null>> = {
  ip: "ip",
  domain: "domain",
  url: "url",
  hash: "hash",
  user: null,
  process: null,
};

/**
 * The feeds of the operator, each one index, matched under the tenancy rule of Playbooks: a feed
 * in the operator's namespace applies to every value, a feed of another namespace only to values
 * of Incidents of its own namespace. Replacing or deleting a feed is atomic: a match sees a feed's
 * old index or its new one, never a mix.
 */
export class IntelStore {
  readonly operatorNamespace: string;
  private readonly indexes = new Map<string, FeedIndex>();
  /** The feeds sorted by key, rebuilt on every change so a match reads one consistent list. */
  private sorted: readonly FeedIndex[] = [];
  private readonly value = new IndicatorValue();
  private readonly host = new IndicatorValue();

  constructor(operatorNamespace: string) {
    this.operatorNamespace = operatorNamespace;
  }

  /** Holds `index` as the feed `index.key`, replacing that feed's previous index. */
  set(index: FeedIndex): void {
    this.indexes.set(index.key, index);
    this.resort();
  }

  /** Drops the feed `key`; true when it was held. */
  delete(key: string): boolean {
    const deleted = this.indexes.delete(key);
    if (deleted) this.resort();
    return deleted;
  }

  /** The index of feed `key`, if held. */
  get(key: string): FeedIndex | undefined {
    return this.indexes.get(key);
  }

  /** The keys of the feeds held, sorted. */
  keys(): readonly string[] {
    return this.sorted.map((index) => index.key);
  }

  /** A summary of every feed held, sorted by key. */
  feeds(): readonly FeedSummary[] {
    return this.sorted.map((index) => ({ key: index.key, namespace: index.settings.namespace, size: index.size, counts: index.counts, loadedAt: index.loadedAt }));
  }

  /**
   * The matches of `value` in every feed applying to `scope`, sorted by feed key then indicator
   * type. The type is inferred from the value's form (`canonicalIndicator`); a URL also matches
   * indicators of its host (a domain or an address). A value of no indicator type matches nothing.
   */
  match(value: string, scope: MatchScope): readonly IntelMatch[] {
    return this.matchKind(value, undefined, scope);
  }

  /**
   * The matches of an Incident observable, like {@link IntelStore.match} for its value with the
   * type it states: `ip` as an address, `domain`, `url` (and its host), `hash` by its length;
   * `user` and `process` observables match nothing.
   */
  matchObservable(observable: { readonly type: ObservableType; readonly value: string }, scope: MatchScope): readonly IntelMatch[] {
    const kind = OBSERVABLE_KINDS[observable.type];
    return kind === null ? [] : this.matchKind(observable.value, kind, scope);
  }

  private matchKind(raw: string, kind: IndicatorKind, scope: MatchScope): readonly IntelMatch[] {
    if (this.sorted.length === 0 || this.value.read(raw.trim(), kind) !== undefined) return [];
    const host = this.value.type === "url" ? this.readHost(this.value.text) : undefined;
    const matches: IntelMatch[] = [];
    for (const index of this.sorted) {
      if (!this.applies(index, scope.namespace)) continue;
      for (let round = 0; round < (host === undefined ? 1 : 2); round++) {
        const hit = index.lookupValue(round === 0 ? this.value : (host ?? this.value), scope.now);
        if (hit === undefined) continue;
        const { severity } = index.settings;
        const match: IntelMatch = { feed: index.key, indicator: hit.indicator, type: hit.type, confidence: hit.confidence, labels: hit.labels };
        matches.push(severity === undefined ? match : { ...match, severity });
      }
    }
    return matches.length < 2 ? matches : matches.sort(byFeedThenType);
  }

  /** The host of a canonical URL read as a domain or an address, or undefined when it is neither. */
  private readHost(url: string): IndicatorValue | undefined {
    const { hostname } = new URL(url);
    const host = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
    return this.host.read(host, "ip", false) === undefined || this.host.read(host, "domain") === undefined ? this.host : undefined;
  }

  private applies(index: FeedIndex, namespace: string | undefined): boolean {
    const feedNamespace = index.settings.namespace;
    return feedNamespace === this.operatorNamespace || (namespace !== undefined && feedNamespace === namespace);
  }

  private resort(): void {
    this.sorted = [...this.indexes.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

function byFeedThenType(a: IntelMatch, b: IntelMatch): number {
  if (a.feed !== b.feed) return a.feed < b.feed ? -1 : 1;
  return INDICATOR_TYPES.indexOf(a.type) - INDICATOR_TYPES.indexOf(b.type);
}
