import type { StatedAttributes } from "./indicator-attributes.ts";
import type { IndicatorKind } from "./indicator-value.ts";

/** What a parser of one source hands its values and problems to. */
export interface SourceSink {
  /**
   * Adds the value `raw` (trimmed) of `kind` read at `line` with the attributes stated for it;
   * a value or attribute refused is recorded as a rejection of the line.
   */
  value(line: number, raw: string, kind: IndicatorKind, stated: StatedAttributes): void;
  /** Records that `line` could not be used, and why. */
  reject(line: number, reason: string): void;
  /** Records a STIX pattern outside the supported subset, skipped. */
  unsupportedPattern(): void;
}

/**
 * Parses a source's text into `sink`; returns undefined when the text was read, or the reason it
 * cannot be read as a whole, in which case nothing was handed to `sink`.
 */
export type SourceParser<Format> = (text: string, format: Format, sink: SourceSink) => string | undefined;

/** No attributes stated. */
export const NO_ATTRIBUTES: StatedAttributes = Object.freeze({});
