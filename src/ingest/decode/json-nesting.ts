import { joinPath } from "./json-path.ts";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MAX_KEY_CHARS = 64;

interface Level {
  readonly isArray: boolean;
  /** The key or index under which this container sits in its parent (unused for the root). */
  readonly segment: string | number;
  index: number;
  key: string;
  expectingKey: boolean;
}

/**
 * Scans JSON text, without building it, for a container nested deeper than `maxDepth` (the
 * outermost object or array is depth 1). Returns the display path of the first container that
 * is too deep, or undefined. Runs in one linear pass so that a body made of millions of `[`
 * is refused before `JSON.parse` spends time on it. Malformed text is not diagnosed here.
 */
export function findExcessiveNesting(text: string, maxDepth: number, root: string): string | undefined {
  const levels: Level[] = [];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === QUOTE) {
      const start = i + 1;
      i = endOfString(text, start);
      const level = levels.at(-1);
      if (level?.expectingKey === true) level.key = text.slice(start, Math.min(i, start + MAX_KEY_CHARS));
    } else if (code === OPEN_OBJECT || code === OPEN_ARRAY) {
      const parent = levels.at(-1);
      const segment = parent === undefined ? "" : parent.isArray ? parent.index : parent.key;
      if (levels.length + 1 > maxDepth) {
        const path = [...levels.slice(1).map((level) => level.segment), ...(parent === undefined ? [] : [segment])].reduce<string>(joinPath, root);
        return path === "" ? "body" : path;
      }
      levels.push({ isArray: code === OPEN_ARRAY, segment, index: 0, key: "", expectingKey: code === OPEN_OBJECT });
    } else if (code === CLOSE_OBJECT || code === CLOSE_ARRAY) {
      levels.pop();
    } else if (code === COMMA) {
      const level = levels.at(-1);
      if (level !== undefined) {
        level.index++;
        level.expectingKey = !level.isArray;
      }
    } else if (code === COLON) {
      const level = levels.at(-1);
      if (level !== undefined) level.expectingKey = false;
    }
  }
  return undefined;
}

/** Index of the closing quote of the string whose content starts at `start` (or the text length). */
function endOfString(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i += 2;
    else if (code === QUOTE) return i;
    else i++;
  }
  return text.length;
}
