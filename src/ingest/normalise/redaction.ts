import { REDACTED, redactSecrets } from "../../redaction/free-text.ts";

export { REDACTED } from "../../redaction/free-text.ts";

/**
 * What to redact beyond the credentials every string is scanned for (`redactSecrets`). Key
 * patterns are tested against every object key (the whole value under a matching key is
 * replaced); paths are JSON Pointers (RFC 6901) from the root of the redacted value, where a `*`
 * segment matches any key or index (the whole value at a matching path is replaced).
 */
export interface RedactionPolicy {
  readonly keyPatterns: readonly RegExp[];
  readonly paths: readonly string[];
}

/** Keys whose values are credentials in the usual spellings. */
export const DEFAULT_KEY_PATTERNS: readonly RegExp[] = Object.freeze([
  /password|passwd|secret|token|authorization|api[-_]?key|private[-_]?key|credential|cookie|session/i,
]);

/** The default policy: the key patterns above, no paths. */
export const DEFAULT_REDACTION_POLICY: RedactionPolicy = Object.freeze({
  keyPatterns: DEFAULT_KEY_PATTERNS,
  paths: Object.freeze([]),
});

/** Containers nested deeper than this are replaced whole rather than inspected. */
const MAX_REDACTION_DEPTH = 64;

/**
 * Returns a redacted copy of a JSON-like value per `policy`, every string in it passed through
 * `redactSecrets`; the input is never mutated and
 * the result shares no objects or arrays with it. Objects are rebuilt as plain data objects
 * (keys such as `__proto__` stay ordinary keys). Non-JSON values (functions, symbols, bigints)
 * are kept as they are; containers deeper than 64 levels are replaced by `[REDACTED]`.
 */
export function redact(value: unknown, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): unknown {
  const compiled = compile(policy);
  return redactNode(value, compiled, compiled.paths.children.size === 0 && !compiled.paths.terminal ? [] : [compiled.paths], 0);
}

interface PathNode {
  readonly children: Map<string, PathNode>;
  terminal: boolean;
}

interface CompiledPolicy {
  readonly keyPatterns: readonly RegExp[];
  readonly paths: PathNode;
}

const compiledPolicies = new WeakMap<RedactionPolicy, CompiledPolicy>();

function compile(policy: RedactionPolicy): CompiledPolicy {
  const cached = compiledPolicies.get(policy);
  if (cached !== undefined) return cached;
  const compiled: CompiledPolicy = {
    keyPatterns: policy.keyPatterns,
    paths: pathTrie(policy.paths),
  };
  compiledPolicies.set(policy, compiled);
  return compiled;
}

function pathTrie(paths: readonly string[]): PathNode {
  const root: PathNode = { children: new Map(), terminal: false };
  for (const path of paths) {
    let node = root;
    for (const segment of pointerSegments(path)) {
      let child = node.children.get(segment);
      if (child === undefined) {
        child = { children: new Map(), terminal: false };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.terminal = true;
  }
  return root;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer
    .replace(/^\//, "")
    .split("/")
    .map((segment) => segment.replaceAll("~1", "/").replaceAll("~0", "~"));
}

function redactNode(value: unknown, policy: CompiledPolicy, pathNodes: readonly PathNode[], depth: number): unknown {
  if (pathNodes.some((node) => node.terminal)) return REDACTED;
  if (typeof value === "string") return redactSecrets(value);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_REDACTION_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    return value.map((item: unknown, index) => redactNode(item, policy, childNodes(pathNodes, String(index)), depth + 1));
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, item]: [string, unknown]) => [
      key,
      policy.keyPatterns.some((pattern) => key.search(pattern) !== -1) ? REDACTED : redactNode(item, policy, childNodes(pathNodes, key), depth + 1),
    ]),
  );
}

function childNodes(nodes: readonly PathNode[], key: string): readonly PathNode[] {
  if (nodes.length === 0) return nodes;
  const next: PathNode[] = [];
  for (const node of nodes) {
    const exact = node.children.get(key);
    if (exact !== undefined) next.push(exact);
    const wildcard = node.children.get("*");
    if (wildcard !== undefined) next.push(wildcard);
  }
  return next;
}
