import { MAX_LINE_LENGTH } from "./feed-bounds.ts";
import type { ListFormat } from "./feed-settings.ts";
import { quoted } from "./indicator-value.ts";
import { NO_ATTRIBUTES, type SourceParser, type SourceSink } from "./source-sink.ts";

const BYTE_ORDER_MARK = 0xfeff;

/**
 * Reads a plain list: one value a line, its first word; blank lines and lines starting with `#`
 * are skipped, and text after the value must be a comment starting with `#` or `;`
 * (`1.10.16.0/20 ; SBL256894`). A line longer than {@link MAX_LINE_LENGTH} is rejected unread.
 */
export const parseList: SourceParser<ListFormat> = (text, format, sink) => {
  let start = text.charCodeAt(0) === BYTE_ORDER_MARK ? 1 : 0;
  for (let line = 1; start <= text.length; line++) {
    const newline = text.indexOf("\n", start);
    const end = newline < 0 ? text.length : newline;
    if (end - start > MAX_LINE_LENGTH) sink.reject(line, `the line is longer than ${MAX_LINE_LENGTH} characters`);
    else readLine(text.slice(start, end).trim(), line, format, sink);
    if (newline < 0) break;
    start = newline + 1;
  }
  return undefined;
};

function readLine(content: string, line: number, format: ListFormat, sink: SourceSink): void {
  if (content === "" || content.startsWith("#")) return;
  const space = content.search(/\s/);
  if (space < 0) {
    sink.value(line, content, format.type, NO_ATTRIBUTES);
    return;
  }
  const rest = content.slice(space).trimStart();
  if (!rest.startsWith("#") && !rest.startsWith(";")) {
    sink.reject(line, `unexpected text ${quoted(rest)} after ${quoted(content.slice(0, space))}; a comment starts with "#" or ";"`);
    return;
  }
  sink.value(line, content.slice(0, space), format.type, NO_ATTRIBUTES);
}
