import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from "yaml";
import type { FieldPath } from "./field-path.ts";

/** A place in a file, 1-based, as editors and `file:line:col` links count. */
export interface SourcePosition {
  readonly line: number;
  readonly col: number;
}

/** One YAML (or JSON) document of a file: its value, or why it could not be read. */
export type SourceDocument =
  | {
      readonly ok: true;
      /** 0-based position of the document in its file. */
      readonly index: number;
      readonly value: unknown;
      /**
       * Where the field at `path` is written: its value when that is a scalar, else its key (or
       * its key in any case with `at` "key"); the nearest enclosing field when it is absent.
       */
      readonly locate: (path: FieldPath, at?: "key") => SourcePosition;
    }
  | { readonly ok: false; readonly index: number; readonly position: SourcePosition; readonly message: string };

/** Aliases the reader expands in one document before refusing it (a "billion laughs" bound). */
const MAX_ALIAS_COUNT = 100;

/**
 * Reads every document of a YAML stream (`---`-separated; JSON is read the same way), keeping
 * where each node is written. `.yaml` is read as kubectl reads it: YAML 1.1, so `yes`/`no`/`on`/
 * `off` are booleans; duplicate keys are errors. Empty documents are left out. Never throws.
 */
export function readDocuments(text: string, json: boolean): SourceDocument[] {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, version: json ? "1.2" : "1.1", uniqueKeys: true, prettyErrors: false });
  if (!Array.isArray(documents)) return [];
  const position = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(line, 1), col: Math.max(col, 1) };
  };
  return documents.flatMap((document, index): SourceDocument[] => {
    const [error] = document.errors;
    if (error !== undefined) return [{ ok: false, index, position: position(error.pos[0]), message: error.message }];
    if (document.contents === null) return [];
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (cause: unknown) {
      return [{ ok: false, index, position: position(document.contents.range[0]), message: cause instanceof Error ? cause.message : String(cause) }];
    }
    if (value === null || value === undefined) return [];
    return [{ ok: true, index, value, locate: (path, at) => position(offsetOf(document, path, at)) }];
  });
}

function resolved(document: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(document) : node;
}

/**
 * The offset of the field at `path`: its value when it is a scalar, its key when it is a
 * collection (the line that names it), and the key of the deepest field that exists when the
 * path leads past what is written (a missing required field points at its parent).
 */
function offsetOf(document: Document, path: FieldPath, at: "key" | undefined): number {
  let node = resolved(document, document.contents) as Node | null | undefined;
  let offset = node?.range?.[0] ?? 0;
  for (const segment of path) {
    if (isMap(node) && segment.kind !== "index") {
      const name = segment.kind === "field" ? segment.name : segment.key;
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === name);
      if (pair === undefined) return offset;
      offset = (isScalar(pair.key) ? pair.key.range?.[0] : undefined) ?? offset;
      node = resolved(document, pair.value) as Node | null | undefined;
    } else if (isSeq(node) && segment.kind === "index") {
      const item = resolved(document, node.items[segment.index]) as Node | null | undefined;
      if (item === undefined || item === null) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      return offset;
    }
  }
  return isScalar(node) && at !== "key" ? (node.range?.[0] ?? offset) : offset;
}
