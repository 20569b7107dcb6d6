import { MAX_LINE_LENGTH } from "./feed-bounds.ts";

const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;
const BYTE_ORDER_MARK = 0xfeff;

/** Receives the records of a CSV text. */
export interface CsvRecordSink {
  /** One record: its cells (quotes removed, not trimmed), and the line it starts on. */
  record(line: number, cells: readonly string[]): void;
  /** A record that could not be read, and why. */
  reject(line: number, reason: string): void;
}

/**
 * Splits `text` into RFC 4180 records in one pass: cells separated by `delimiter`, records by
 * LF or CRLF; a quoted cell may hold the delimiter, line breaks and `""` for a quote. A record
 * longer than {@link MAX_LINE_LENGTH} characters, or with text after a closing quote, is
 * rejected; a quote never closed rejects its record and ends the text.
 */
export function readCsvRecords(text: string, delimiter: number, sink: CsvRecordSink): void {
  let position = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  let line = 1;
  while (position < text.length) {
    const recordLine = line;
    const recordStart = position;
    const cells: string[] = [];
    let problem: string | undefined;
    for (;;) {
      let cell: string;
      if (text.charCodeAt(position) === QUOTE) {
        const closing = closingQuote(text, position + 1);
        if (closing < 0) {
          sink.reject(recordLine, "a quoted cell is never closed");
          return;
        }
        line += countNewlines(text, position, closing);
        cell = text.slice(position + 1, closing).replaceAll('""', '"');
        position = closing + 1;
        const next = text.charCodeAt(position);
        if (position < text.length && next !== delimiter && next !== NEWLINE && next !== RETURN) {
          problem ??= "text follows a closing quote";
          position = cellEnd(text, position, delimiter);
        }
      } else {
        const end = cellEnd(text, position, delimiter);
        cell = text.slice(position, end);
        position = end;
      }
      if (position - recordStart > MAX_LINE_LENGTH) problem ??= `the record is longer than ${MAX_LINE_LENGTH} characters`;
      if (problem === undefined) cells.push(cell);
      if (position < text.length && text.charCodeAt(position) === delimiter) {
        position++;
        continue;
      }
      break;
    }
    if (text.charCodeAt(position) === RETURN) position++;
    if (text.charCodeAt(position) === NEWLINE) position++;
    line++;
    if (problem === undefined) sink.record(recordLine, cells);
    else sink.reject(recordLine, problem);
  }
}

/** The index of the quote closing a quoted cell whose content starts at `start`, or -1. */
function closingQuote(text: string, start: number): number {
  let position = start;
  for (;;) {
    const quote = text.indexOf('"', position);
    if (quote < 0 || text.charCodeAt(quote + 1) !== QUOTE) return quote;
    position = quote + 2;
  }
}

/** The index ending an unquoted cell starting at `start`: the next delimiter, line break or the end. */
function cellEnd(text: string, start: number, delimiter: number): number {
  let position = start;
  while (position < text.length) {
    const code = text.charCodeAt(position);
    if (code === delimiter || code === NEWLINE || code === RETURN) break;
    position++;
  }
  return position;
}

function countNewlines(text: string, start: number, end: number): number {
  let count = 0;
  for (let newline = text.indexOf("\n", start); newline >= 0 && newline < end; newline = text.indexOf("\n", newline + 1)) count++;
  return count;
}
