import { parseCsv } from "./csv-parser.ts";
import { MAX_INDICATOR_LABELS, MAX_LABEL_LENGTH, MAX_REPORTED_REJECTIONS } from "./feed-bounds.ts";
import { FeedIndex } from "./feed-index.ts";
import { MAX_FEED_INDICATORS, type FeedFormat, type FeedSettings } from "./feed-settings.ts";
import type { IndicatorType } from "./indicator.ts";
import { IndicatorAttributes, type StatedAttributes } from "./indicator-attributes.ts";
import { IndicatorTables } from "./indicator-tables.ts";
import { IndicatorValue, quoted, type IndicatorKind } from "./indicator-value.ts";
import { parseList } from "./list-parser.ts";
import type { SourceSink } from "./source-sink.ts";
import { parseStix } from "./stix-parser.ts";

/** An indicator as a source states it, before canonicalisation. */
export interface IndicatorInput {
  /** Inferred from the value's form when absent. */
  readonly type?: IndicatorType | undefined;
  readonly value: string;
  /** 0..100; the feed's default when absent. */
  readonly confidence?: number | undefined;
  /** Added to the feed's labels. */
  readonly labels?: readonly string[] | undefined;
  /** Epoch milliseconds from which the indicator matches. */
  readonly validFrom?: number | undefined;
  /** Epoch milliseconds from which the indicator no longer matches. */
  readonly validUntil?: number | undefined;
}

/** One line (or STIX object) a source could not use. */
export interface RejectedLine {
  /** The 1-based line of a list, the first line of a CSV record, or the 1-based position of a STIX object in `objects`. */
  readonly line: number;
  /** What is wrong with it. */
  readonly reason: string;
}

/** How many lines were rejected, and the first {@link MAX_REPORTED_REJECTIONS} of them. */
export interface Rejections {
  readonly count: number;
  readonly first: readonly RejectedLine[];
}

/**
 * What one source added: `ok: false` when the document as a whole cannot be read (a STIX
 * bundle that is not JSON or not a bundle, a CSV without the named column), in which case it
 * added nothing; otherwise how many indicators it listed, which lines it rejected, how many STIX
 * patterns were unsupported and how many indicators had expired already.
 */
export type SourceParse =
  | { readonly ok: true; readonly accepted: number; readonly rejected: Rejections; readonly unsupportedPatterns: number; readonly expired: number }
  | { readonly ok: false; readonly reason: string };

const LABEL = /^[^\p{Cc}]+$/u;

/** A source being parsed: what it added, rejected and skipped. */
class SourceTally implements SourceSink {
  accepted = 0;
  expired = 0;
  unsupportedPatterns = 0;
  rejectedCount = 0;
  readonly rejected: RejectedLine[] = [];
  private readonly builder: FeedIndexBuilder;

  constructor(builder: FeedIndexBuilder) {
    this.builder = builder;
  }

  value(line: number, raw: string, kind: IndicatorKind, stated: StatedAttributes): void {
    const outcome = this.builder.addValue(raw, kind, stated);
    if (outcome === "added") this.accepted++;
    else if (outcome === "expired") this.expired++;
    else this.reject(line, outcome.reason);
  }

  reject(line: number, reason: string): void {
    this.rejectedCount++;
    if (this.rejected.length < MAX_REPORTED_REJECTIONS) this.rejected.push({ line, reason });
  }

  unsupportedPattern(): void {
    this.unsupportedPatterns++;
  }
}

/**
 * Builds one feed's {@link FeedIndex} from one or more sources at time `now`, parsing text
 * straight into the index. A value listed more than once is held once, with the attributes of
 * its last listing. Indicators expired at `now` are counted and not held. Once `build` is called
 * the builder accepts nothing more.
 */
export class FeedIndexBuilder {
  readonly settings: FeedSettings;
  readonly now: number;
  private readonly maxIndicators: number;
  private tables: IndicatorTables | undefined = new IndicatorTables();
  private readonly attributes: IndicatorAttributes;
  private readonly value = new IndicatorValue();
  private size = 0;

  constructor(settings: FeedSettings, now: number) {
    this.settings = settings;
    this.now = now;
    this.maxIndicators = settings.maxIndicators ?? MAX_FEED_INDICATORS;
    this.attributes = new IndicatorAttributes(settings.labels, settings.defaultConfidence);
  }

  /** Adds one indicator; returns why it was refused, or undefined when it was added (or had expired). */
  add(indicator: IndicatorInput): string | undefined {
    const outcome = this.addValue(indicator.value.trim(), indicator.type, indicator);
    return outcome === "added" || outcome === "expired" ? undefined : outcome.reason;
  }

  /** Parses one source's text in `format` into the index under construction. */
  parse(text: string, format: FeedFormat): SourceParse {
    const tally = new SourceTally(this);
    const failure =
      format.kind === "list" ? parseList(text, format, tally) : format.kind === "csv" ? parseCsv(text, format, tally) : parseStix(text, format, tally);
    if (failure !== undefined) return { ok: false, reason: failure };
    const { accepted, expired, unsupportedPatterns } = tally;
    return { ok: true, accepted, expired, unsupportedPatterns, rejected: { count: tally.rejectedCount, first: tally.rejected } };
  }

  /** The index of everything added. */
  build(): FeedIndex {
    const tables = this.openTables();
    this.tables = undefined;
    tables.freeze();
    this.attributes.seal();
    return new FeedIndex(this.settings, this.now, tables, this.attributes);
  }

  /**
   * Adds the trimmed value `raw` of `kind` with `stated` attributes: "added", "expired" (valid
   * until a time already past, so not held), or the reason it is refused.
   */
  addValue(raw: string, kind: IndicatorKind, stated: StatedAttributes): "added" | "expired" | { readonly reason: string } {
    const tables = this.openTables();
    const problem = attributeProblem(stated) ?? this.value.read(raw, kind);
    if (problem !== undefined) return { reason: problem };
    if (stated.validUntil !== undefined && stated.validUntil <= this.now) return "expired";
    if (this.size >= this.maxIndicators && !tables.has(this.value)) return { reason: `the feed holds its most indicators already, ${this.maxIndicators}` };
    if (tables.set(this.value, this.attributes.tagFor(stated))) this.size++;
    return "added";
  }

  private openTables(): IndicatorTables {
    if (this.tables === undefined) throw new Error("FeedIndexBuilder: the index is built already");
    return this.tables;
  }
}

/** Why `stated` attributes cannot be held, or undefined. */
function attributeProblem(stated: StatedAttributes): string | undefined {
  const { confidence, labels, validFrom, validUntil } = stated;
  if (confidence !== undefined && !(Number.isInteger(confidence) && confidence >= 0 && confidence <= 100)) return `confidence ${confidence} is not an integer from 0 to 100`;
  if (validFrom !== undefined && !Number.isFinite(validFrom)) return "validFrom is not a time";
  if (validUntil !== undefined && !Number.isFinite(validUntil)) return "validUntil is not a time";
  if (labels === undefined) return undefined;
  if (labels.length > MAX_INDICATOR_LABELS) return `${labels.length} labels, more than ${MAX_INDICATOR_LABELS}`;
  const bad = labels.find((label) => label.length > MAX_LABEL_LENGTH || !LABEL.test(label));
  return bad === undefined ? undefined : `label ${quoted(bad)} is empty, longer than ${MAX_LABEL_LENGTH} characters or holds a control character`;
}
