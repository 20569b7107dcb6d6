import { parse } from "yaml";
import type { Json, OperatorSetting } from "./chart-operator-settings.ts";
import { type Setting, settings } from "../../src/config/flags.ts";
import { CHART_MANAGED_FLAGS, CHART_VALUE_CHOICES, renderOperatorValues } from "./chart-operator-settings.ts";

/** First and last line of the generated block of values.yaml. */
export const VALUES_BLOCK_BEGIN = "# >>> generated from src/config/flags.ts by `npm run generate`; edit the flags, not this block";
export const VALUES_BLOCK_END = "# <<< end of the generated block";
/** First and last line of the generated tables of the chart README. */
export const README_BLOCK_BEGIN = "<!-- generated from values.yaml by `npm run generate`: begin -->";
export const README_BLOCK_END = "<!-- generated from values.yaml by `npm run generate`: end -->";

/** Replaces what lies between `begin` and `end` in `text`; throws naming `file` when a marker is missing. */
export function replaceBlock(text: string, begin: string, end: string, block: string, file: string): string {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file}: the lines "${begin}" and "${end}" must enclose the generated block`);
  return `${text.slice(0, start + begin.length)}\n${block}${text.slice(stop)}`;
}

/** values.yaml with its generated block rewritten from `operator`. */
export function renderValuesYaml(current: string, operator: readonly OperatorSetting[]): string {
  return replaceBlock(current, VALUES_BLOCK_BEGIN, VALUES_BLOCK_END, renderOperatorValues(operator), "values.yaml");
}

/**
 * The `# --` comments of values.yaml by dotted key path (`image.tag`): a comment starting with
 * `# --` and its following `#` lines document the key on the next line.
 */
export function valueDocs(text: string): Map<string, string> {
  const docs = new Map<string, string>();
  const stack: { indent: number; key: string }[] = [];
  let pending: string[] | undefined;
  for (const line of text.split("\n")) {
    const commentLine = /^\s*#\s?(.*)$/.exec(line);
    if (commentLine !== null) {
      const body = commentLine[1] ?? "";
      if (body.startsWith("-- ")) pending = [body.slice(3)];
      else if (pending !== undefined) pending.push(body);
      continue;
    }
    const keyLine = /^(\s*)([A-Za-z][A-Za-z0-9_]*):/.exec(line);
    if (keyLine === null) {
      pending = undefined;
      continue;
    }
    const indent = (keyLine[1] ?? "").length;
    while (stack.length > 0 && (stack.at(-1)?.indent ?? 0) >= indent) stack.pop();
    stack.push({ indent, key: keyLine[2] ?? "" });
    if (pending !== undefined) docs.set(stack.map((entry) => entry.key).join("."), pending.join(" ").trim());
    pending = undefined;
  }
  return docs;
}

function isMap(value: unknown): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeName(value: Json): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

/** The documented keys of `values`: path, default and description, in file order. */
interface DocumentedValue {
  readonly path: string;
  readonly value: Json;
  readonly description: string;
}

function schemaFor(path: string, value: Json, docs: ReadonlyMap<string, string>, extra: ReadonlyMap<string, { [key: string]: Json }>): { [key: string]: Json } {
  const given = extra.get(path);
  if (given !== undefined) return given;
  const description = docs.get(path);
  const withDescription = (schema: { [key: string]: Json }): { [key: string]: Json } =>
    description === undefined ? schema : { ...schema, description };
  if (isMap(value)) {
    const documentedChildren = Object.keys(value).filter((key) => hasDocs(`${path}.${key}`, docs));
    if (documentedChildren.length === 0) return withDescription({ type: "object" });
    return withDescription({
      type: "object",
      additionalProperties: false,
      properties: Object.fromEntries(Object.entries(value).map(([key, child]) => [key, schemaFor(`${path}.${key}`, child, docs, extra)])),
    });
  }
  if (Array.isArray(value)) {
    const first = value[0];
    return withDescription(first === undefined || isMap(first) ? { type: "array" } : { type: "array", items: { type: typeName(first) } });
  }
  return withDescription({ type: typeName(value) });
}

function hasDocs(path: string, docs: ReadonlyMap<string, string>): boolean {
  for (const key of docs.keys()) if (key === path || key.startsWith(`${path}.`)) return true;
  return false;
}

function parseValues(text: string): Record<string, Json> {
  const values: unknown = parse(text);
  if (!isMap(values)) throw new Error("values.yaml: the top level must be a map");
  return values;
}

/**
 * values.schema.json of values.yaml: every documented map is closed (an unknown key is an error
 * naming it), maps without documented keys (resources, nodeSelector...) are open, types come
 * from the defaults, and the `operator` keys and CHART_VALUE_CHOICES carry their flag's enum or duration pattern.
 */
export function renderValuesSchema(valuesYaml: string, operator: readonly OperatorSetting[]): string {
  const values = parseValues(valuesYaml);
  const docs = valueDocs(valuesYaml);
  const extra = new Map(operator.map((entry) => [`operator.${entry.key}`, entry.schema]));
  for (const [path, flag] of Object.entries(CHART_VALUE_CHOICES)) {
    const description = docs.get(path);
    extra.set(path, { type: "string", enum: [...((settings[flag] as Setting).choices ?? [])], ...(description === undefined ? {} : { description }) });
  }
  const properties = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, schemaFor(key, value, docs, extra)]));
  const schema = {
    $schema: "https://json-schema.org/draft-07/schema#",
    title: "kube-soar chart values",
    type: "object",
    additionalProperties: false,
    properties: { ...properties, global: { type: "object", description: "Values shared with subcharts (Helm)." } },
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

function documented(values: Record<string, Json>, docs: ReadonlyMap<string, string>, prefix = ""): DocumentedValue[] {
  const out: DocumentedValue[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const description = docs.get(path);
    const children = isMap(value) ? documented(value, docs, path) : [];
    if (description !== undefined && children.length === 0) out.push({ path, value, description });
    out.push(...children);
  }
  return out;
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The generated tables of the chart README: every documented value, then the flags the chart sets itself. */
export function renderReadmeTables(valuesYaml: string): string {
  const rows = documented(parseValues(valuesYaml), valueDocs(valuesYaml)).map(
    ({ path, value, description }) => `| \`${path}\` | ${typeName(value)} | \`${cell(JSON.stringify(value))}\` | ${cell(description)} |`,
  );
  const managed = Object.entries(CHART_MANAGED_FLAGS).map(([flag, source]) => `| \`--${flag}\` | ${cell(source)} |`);
  return [
    "### Values",
    "",
    "| Key | Type | Default | Description |",
    "|---|---|---|---|",
    ...rows,
    "",
    "### Flags the chart sets",
    "",
    "| Flag | From |",
    "|---|---|",
    ...managed,
    "",
  ].join("\n");
}

/** The chart README with its generated tables rewritten from values.yaml. */
export function renderChartReadme(current: string, valuesYaml: string): string {
  return replaceBlock(current, README_BLOCK_BEGIN, README_BLOCK_END, renderReadmeTables(valuesYaml), "README.md");
}
