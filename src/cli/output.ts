import { stringify } from "yaml";
import { UsageError } from "./cli-errors.ts";

/** What `-o` may ask for: kubectl's table (the default), its wide table, the objects as JSON or YAML, or their names. */
export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml", "name"] as const;
/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The `-o`/`--output` flag, as `parseArgs` options. */
export const OUTPUT_OPTION = { output: { type: "string", short: "o" } } as const;

/**
 * The format `-o value` asks for among `allowed` (the table when absent); any other value throws a
 * {@link UsageError} listing the allowed ones. `table` itself is not a value `-o` takes.
 */
export function outputFormatOf(value: string | undefined, allowed: readonly OutputFormat[] = OUTPUT_FORMATS): OutputFormat {
  if (value === undefined) return "table";
  const format = allowed.find((candidate) => candidate === value && candidate !== "table");
  if (format === undefined) {
    throw new UsageError(`-o ${JSON.stringify(value)}: expected one of ${allowed.filter((candidate) => candidate !== "table").join(", ")}`);
  }
  return format;
}

/** `value` as kubectl's `-o json` writes it: indented by four spaces, with a final newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

/** `value` as YAML, as `-o yaml` writes it (keys in their order, long strings kept on one line). */
export function formatYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}

/**
 * Rows under a header as kubectl's tables lay them out: each column as wide as its widest cell,
 * columns three spaces apart, no trailing spaces, one line per row.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? cell.length)))
      .join("   ")
      .trimEnd();
  return [header, ...rows].map((cells) => `${line(cells)}\n`).join("");
}

/** A copy of a Kubernetes object without `metadata.managedFields`, as kubectl prints objects. */
export function withoutManagedFields<T extends { metadata?: object }>(object: T): T {
  if (object.metadata === undefined || !("managedFields" in object.metadata)) return object;
  const metadata: Record<string, unknown> = { ...object.metadata };
  delete metadata.managedFields;
  return { ...object, metadata };
}
