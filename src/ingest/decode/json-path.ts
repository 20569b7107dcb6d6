import { displayText } from "./display-text.ts";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PATH_CHARS = 256;
const MAX_KEY_CHARS = 64;

/**
 * Appends an object key or array index to a display JSON path: `data.labels`,
 * `data.output_fields["k8s.pod.name"]`, `alerts[3]`. Keys that are not plain identifiers are
 * quoted and rendered with `displayText`, so the path is always printable ASCII; the whole path
 * is bounded in length (the tail is replaced by `...` once it is too long).
 */
export function joinPath(parent: string, segment: string | number): string {
  if (parent.endsWith("...")) return parent;
  let next: string;
  if (typeof segment === "number") next = `${parent}[${segment}]`;
  else if (IDENTIFIER.test(segment) && segment.length <= MAX_KEY_CHARS) next = parent === "" ? segment : `${parent}.${segment}`;
  else next = `${parent}["${displayText(segment, MAX_KEY_CHARS).replaceAll('"', '\\"')}"]`;
  return next.length > MAX_PATH_CHARS ? `${next.slice(0, MAX_PATH_CHARS)}...` : next;
}

/** The path shown for the root of a document: `root` itself, or `body` when the root is unnamed. */
export function rootField(root: string): string {
  return root === "" ? "body" : root;
}
