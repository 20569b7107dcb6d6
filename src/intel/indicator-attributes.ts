/** The attributes a source may state for one indicator. */
export interface StatedAttributes {
  readonly confidence?: number | undefined;
  readonly labels?: readonly string[] | undefined;
  readonly validFrom?: number | undefined;
  readonly validUntil?: number | undefined;
}

/** The tag of an indicator with no attributes of its own: the feed's defaults apply. */
export const DEFAULT_TAG = 1;

/**
 * The attributes of a feed's indicators, held sparsely: an indicator carries a tag, 1 when it
 * states nothing (the feed's defaults), else the number of an interned record, so a million
 * indicators sharing a few combinations of confidence, labels and validity cost a few records.
 * Labels are held merged with the feed's (the feed's first, each once).
 */
export class IndicatorAttributes {
  private readonly feedLabels: readonly string[];
  private readonly defaultConfidence: number;
  private readonly confidences: number[] = [];
  private readonly labelSets: (readonly string[])[] = [];
  private readonly validFroms: number[] = [];
  private readonly validUntils: number[] = [];
  private interned: Map<string, number> | undefined = new Map();
  /** The tags of indicators stating only a confidence, by confidence: most CSV feeds state nothing else. */
  private readonly confidenceTags = new Int32Array(101);
  private readonly internedLabels = new Map<string, readonly string[]>();

  constructor(feedLabels: readonly string[], defaultConfidence: number) {
    this.feedLabels = feedLabels;
    this.defaultConfidence = defaultConfidence;
  }

  /** The tag of an indicator stating `stated`. */
  tagFor(stated: StatedAttributes): number {
    const { confidence, labels, validFrom, validUntil } = stated;
    const ownLabels = labels !== undefined && labels.length > 0 ? labels : undefined;
    if (ownLabels === undefined && validFrom === undefined && validUntil === undefined) {
      if (confidence === undefined) return DEFAULT_TAG;
      const known = this.confidenceTags[confidence] ?? 0;
      if (known !== 0) return known;
    }
    const interned = this.interned;
    if (interned === undefined) throw new Error("IndicatorAttributes: no attributes may be added once sealed");
    const key = `${confidence ?? ""}\u0000${validFrom ?? ""}\u0000${validUntil ?? ""}\u0000${ownLabels?.join("\u0000") ?? ""}`;
    const known = interned.get(key);
    if (known !== undefined) return known;
    const tag = this.confidences.length + 2;
    this.confidences.push(confidence ?? this.defaultConfidence);
    this.labelSets.push(ownLabels === undefined ? this.feedLabels : this.mergedLabels(ownLabels));
    this.validFroms.push(validFrom ?? Number.NEGATIVE_INFINITY);
    this.validUntils.push(validUntil ?? Number.POSITIVE_INFINITY);
    interned.set(key, tag);
    if (ownLabels === undefined && validFrom === undefined && validUntil === undefined && confidence !== undefined) this.confidenceTags[confidence] = tag;
    return tag;
  }

  /** Drops what only adding needs; no tag may be added afterwards. */
  seal(): void {
    this.interned = undefined;
    this.internedLabels.clear();
  }

  /** True when the indicator of `tag` is valid at `now`: `validFrom ≤ now < validUntil`. */
  validAt(tag: number, now: number): boolean {
    if (tag === DEFAULT_TAG) return true;
    return (this.validFroms[tag - 2] ?? 0) <= now && now < (this.validUntils[tag - 2] ?? 0);
  }

  /** The confidence of the indicator of `tag`. */
  confidence(tag: number): number {
    return tag === DEFAULT_TAG ? this.defaultConfidence : (this.confidences[tag - 2] ?? this.defaultConfidence);
  }

  /** The feed's labels, then the indicator's own, each once. */
  labels(tag: number): readonly string[] {
    return tag === DEFAULT_TAG ? this.feedLabels : (this.labelSets[tag - 2] ?? this.feedLabels);
  }

  private mergedLabels(own: readonly string[]): readonly string[] {
    const key = own.join("\u0000");
    const known = this.internedLabels.get(key);
    if (known !== undefined) return known;
    const merged = Object.freeze([...new Set([...this.feedLabels, ...own])]);
    this.internedLabels.set(key, merged);
    return merged;
  }
}
