/** Containers nested deeper than this are measured by serialising them instead (never reached by intake's depth limit). */
const MAX_WALK_DEPTH = 256;

const SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d]);

function stringLength(text: string): number {
  let bytes = 2;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 || code === 0x5c) bytes += 2;
    else if (code < 0x20) bytes += SHORT_ESCAPES.has(code) ? 2 : 6;
    else if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index++;
      } else bytes += 6;
    } else if (code >= 0xdc00 && code <= 0xdfff) bytes += 6;
    else bytes += 3;
  }
  return bytes;
}

function isSkipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

function serialisedLength(value: unknown): number | undefined {
  const json = JSON.stringify(value) as string | undefined;
  return json === undefined ? undefined : Buffer.byteLength(json, "utf8");
}

function valueLength(value: unknown, depth: number): number | undefined {
  if (value === null) return 4;
  switch (typeof value) {
    case "string":
      return stringLength(value);
    case "number":
      return Number.isFinite(value) ? String(value).length : 4;
    case "boolean":
      return value ? 4 : 5;
    case "object":
      break;
    default:
      return isSkipped(value) ? undefined : serialisedLength(value);
  }
  if (depth >= MAX_WALK_DEPTH || typeof (value as { toJSON?: unknown }).toJSON === "function") return serialisedLength(value);
  if (Array.isArray(value)) {
    let bytes = 2 + Math.max(0, value.length - 1);
    for (const item of value as unknown[]) bytes += isSkipped(item) ? 4 : (valueLength(item, depth + 1) ?? 4);
    return bytes;
  }
  let bytes = 2;
  let members = 0;
  for (const key of Object.keys(value)) {
    const item: unknown = (value as Record<string, unknown>)[key];
    if (isSkipped(item)) continue;
    bytes += stringLength(key) + 1 + (valueLength(item, depth + 1) ?? 0);
    members++;
  }
  return bytes + Math.max(0, members - 1);
}

/**
 * The UTF-8 length of `JSON.stringify(value)`, undefined when that is undefined, computed by
 * walking the value rather than building the text: for the data of a large alert, the text is
 * a string as large as the alert, made only to be measured and thrown away. Values JSON cannot
 * hold as they are (a `toJSON` method, a bigint) are measured by serialising them.
 */
export function jsonUtf8Length(value: unknown): number | undefined {
  return isSkipped(value) ? undefined : valueLength(value, 0);
}
