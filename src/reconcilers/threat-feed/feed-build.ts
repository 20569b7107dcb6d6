import type { InlineIndicator } from "../../api/v1alpha1/types.generated.ts";
import { FeedIndexBuilder, MAX_REPORTED_REJECTIONS, type FeedFormat, type FeedIndex, type FeedSettings, type RejectedLine } from "../../intel/index.ts";
import type { EventLoopTurns } from "../../runtime/event-loop-turns.ts";

/** A feed's new index, with what its source held that could not be used. */
export interface FeedBuilt {
  readonly ok: true;
  readonly index: FeedIndex;
  readonly rejected: { readonly count: number; readonly first: readonly RejectedLine[] };
  readonly unsupportedPatterns: number;
  readonly expired: number;
}

/** A source whose text cannot be read as a whole; `reason` says why. */
export interface FeedBuildFailure {
  readonly ok: false;
  readonly reason: string;
}

/** About how many characters of a list are parsed in one event-loop turn (some 20 ms of work). */
export const LIST_CHUNK_CHARS = 1 << 17;

/** About how many inline indicators are added in one event-loop turn. */
const INLINE_CHUNK = 500;

class Tally {
  count = 0;
  readonly first: RejectedLine[] = [];
  unsupportedPatterns = 0;
  expired = 0;

  reject(line: number, reason: string): void {
    this.count++;
    if (this.first.length < MAX_REPORTED_REJECTIONS) this.first.push({ line, reason });
  }

  built(index: FeedIndex): FeedBuilt {
    return { ok: true, index, rejected: { count: this.count, first: this.first }, unsupportedPatterns: this.unsupportedPatterns, expired: this.expired };
  }
}

function newlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) count++;
  return count;
}

/** The end of the piece of `text` from `start`: the end of the line at least `size` characters on. */
function pieceEnd(text: string, start: number, size: number): number {
  const at = start + size;
  if (at >= text.length) return text.length;
  const newline = text.indexOf("\n", at);
  return newline < 0 ? text.length : newline + 1;
}

/**
 * Parses a list a piece of whole lines at a time into `builder`, taking an event-loop turn
 * between pieces, with the line numbers of rejections counted from the start of `text`.
 */
async function parseListInPieces(builder: FeedIndexBuilder, text: string, format: FeedFormat, turns: EventLoopTurns, tally: Tally): Promise<FeedBuildFailure | undefined> {
  let line = 0;
  let start = 0;
  for (;;) {
    const end = pieceEnd(text, start, LIST_CHUNK_CHARS);
    const piece = text.slice(start, end);
    const parsed = builder.parse(piece, format);
    if (!parsed.ok) return parsed;
    tally.count += parsed.rejected.count - parsed.rejected.first.length;
    for (const rejected of parsed.rejected.first) tally.reject(rejected.line + line, rejected.reason);
    tally.expired += parsed.expired;
    if (end >= text.length) return undefined;
    line += newlines(piece);
    start = end;
    await turns.next();
  }
}

/**
 * Builds the index of a feed with `settings` from `text` in `format`, as at `now`. A list is
 * parsed in pieces of about {@link LIST_CHUNK_CHARS} characters with an event-loop turn between
 * them; CSV and STIX are parsed in one piece (a record or object may span any number of lines).
 */
export async function buildFromText(text: string, format: FeedFormat, settings: FeedSettings, now: number, turns: EventLoopTurns): Promise<FeedBuilt | FeedBuildFailure> {
  await turns.next();
  const builder = new FeedIndexBuilder(settings, now);
  const tally = new Tally();
  if (format.kind === "list") {
    const failure = await parseListInPieces(builder, text, format, turns, tally);
    if (failure !== undefined) return failure;
  } else {
    const parsed = builder.parse(text, format);
    if (!parsed.ok) return parsed;
    tally.count = parsed.rejected.count;
    tally.first.push(...parsed.rejected.first);
    tally.unsupportedPatterns = parsed.unsupportedPatterns;
    tally.expired = parsed.expired;
  }
  await turns.next();
  return tally.built(builder.build());
}

/**
 * Builds the index of a feed with `settings` from its inline indicators, as at `now`; a
 * rejection's line is the indicator's 1-based position in `spec.inline`, and an indicator whose
 * `validUntil` has passed is counted as expired.
 */
export async function buildFromInline(indicators: readonly InlineIndicator[], settings: FeedSettings, now: number, turns: EventLoopTurns): Promise<FeedBuilt> {
  const builder = new FeedIndexBuilder(settings, now);
  const tally = new Tally();
  for (const [position, indicator] of indicators.entries()) {
    if (position % INLINE_CHUNK === 0) await turns.next();
    const validUntil = indicator.validUntil === undefined ? undefined : Date.parse(indicator.validUntil);
    if (validUntil !== undefined && validUntil <= now) {
      tally.expired++;
      continue;
    }
    const refused = builder.add({
      value: indicator.value,
      ...(indicator.type === undefined ? {} : { type: indicator.type }),
      ...(indicator.confidence === undefined ? {} : { confidence: indicator.confidence }),
      ...(indicator.labels === undefined ? {} : { labels: indicator.labels }),
      ...(validUntil === undefined ? {} : { validUntil }),
    });
    if (refused !== undefined) tally.reject(position + 1, refused);
  }
  return tally.built(builder.build());
}
