import { parseRfc3339 } from "../api/rfc3339.ts";
import { readCsvRecords } from "./csv-records.ts";
import type { CsvColumn, CsvFormat } from "./feed-settings.ts";
import { quoted } from "./indicator-value.ts";
import type { SourceParser, SourceSink } from "./source-sink.ts";
import { kindOfTypeName } from "./type-names.ts";

const CONFIDENCE = /^\d{1,3}$/;
const LABEL_SEPARATOR = /[;|]/;

/** The positions of the columns a CSV format reads, resolved against its header row. */
interface Columns {
  readonly value: number;
  readonly type: number | undefined;
  readonly confidence: number | undefined;
  readonly labels: number | undefined;
  readonly expires: number | undefined;
}

/**
 * Reads CSV records (see `readCsvRecords`): the header row when `format.header` names the
 * columns, then one indicator a record. Blank records and records whose first cell starts with
 * `#` are skipped. Fails as a whole when the delimiter is unusable, a named column is not in the
 * header, or a column is named without a header.
 */
export const parseCsv: SourceParser<CsvFormat> = (text, format, sink) => {
  const delimiter = format.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    return `delimiter ${quoted(delimiter)} must be one character other than a quote or a line break`;
  }
  let columns: Columns | undefined;
  if (!format.header) {
    const resolved = resolveColumns(format, undefined);
    if (typeof resolved === "string") return resolved;
    columns = resolved;
  }
  let failure: string | undefined;
  readCsvRecords(text, delimiter.charCodeAt(0), {
    record(line, cells) {
      if (failure !== undefined || skipped(cells)) return;
      if (columns === undefined) {
        const resolved = resolveColumns(format, cells.map((cell) => cell.trim()));
        if (typeof resolved === "string") failure = resolved;
        else columns = resolved;
        return;
      }
      readRecord(line, cells, columns, sink);
    },
    reject(line, reason) {
      if (failure === undefined && columns === undefined) failure = `the header row cannot be read: ${reason}`;
      else if (failure === undefined) sink.reject(line, reason);
    },
  });
  return failure;
};

function skipped(cells: readonly string[]): boolean {
  const first = cells[0] ?? "";
  return (cells.length === 1 && first.trim() === "") || first.startsWith("#");
}

function resolveColumns(format: CsvFormat, header: readonly string[] | undefined): Columns | string {
  const positions: (number | string)[] = [];
  for (const column of [format.valueColumn, format.typeColumn, format.confidenceColumn, format.labelsColumn, format.expiresColumn]) {
    positions.push(column === undefined ? -1 : positionOf(column, header));
  }
  const problem = positions.find((position) => typeof position === "string");
  if (problem !== undefined) return problem;
  const [value = 0, type, confidence, labels, expires] = positions.map((position) => (typeof position === "number" && position >= 0 ? position : undefined));
  return { value, type, confidence, labels, expires };
}

function positionOf(column: CsvColumn, header: readonly string[] | undefined): number | string {
  if (typeof column === "number") return Number.isSafeInteger(column) && column >= 0 ? column : `column ${column} is not a position from 0`;
  if (header === undefined) return `column ${quoted(column)} is named but the format has no header row`;
  const exact = header.indexOf(column);
  const position = exact >= 0 ? exact : header.findIndex((name) => name.toLowerCase() === column.toLowerCase());
  return position >= 0 ? position : `the header row has no column ${quoted(column)}`;
}

function readRecord(line: number, cells: readonly string[], columns: Columns, sink: SourceSink): void {
  const cell = (position: number | undefined): string => (position === undefined ? "" : (cells[position] ?? "").trim());
  const value = cell(columns.value);
  if (value === "") {
    sink.reject(line, cells.length <= columns.value ? `the record has ${cells.length} cells; the value is in cell ${columns.value + 1}` : "the value is empty");
    return;
  }
  const kind = kindOfTypeName(cell(columns.type));
  if (kind === null) {
    sink.reject(line, `type ${quoted(cell(columns.type))} is not an indicator type`);
    return;
  }
  const confidenceCell = cell(columns.confidence);
  const confidence = confidenceCell === "" ? undefined : CONFIDENCE.test(confidenceCell) ? Number(confidenceCell) : Number.NaN;
  if (confidence !== undefined && !(confidence <= 100)) {
    sink.reject(line, `confidence ${quoted(confidenceCell)} is not an integer from 0 to 100`);
    return;
  }
  const expiresCell = cell(columns.expires);
  const validUntil = expiresCell === "" ? undefined : parseRfc3339(expiresCell);
  if (expiresCell !== "" && validUntil === undefined) {
    sink.reject(line, `expiry ${quoted(expiresCell)} is not an RFC 3339 time`);
    return;
  }
  const labelsCell = cell(columns.labels);
  const labels = labelsCell === "" ? undefined : labelsCell.split(LABEL_SEPARATOR).map((label) => label.trim()).filter((label) => label !== "");
  sink.value(line, value, kind, { confidence, labels, validUntil });
}
