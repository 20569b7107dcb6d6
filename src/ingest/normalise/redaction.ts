/** What redacted values are replaced with. */
export const REDACTED = "[REDACTED]";

/**
 * What to redact. Key patterns are tested against every object key (the whole value under a
 * matching key is replaced); value patterns are searched in every string (each match is
 * replaced, keeping the text of a leading named group `keep` when the pattern has one); paths
 * are JSON Pointers (RFC 6901) from the root of the redacted value, where a `*` segment matches
 * any key or index (the whole value at a matching path is replaced).
 */
export interface RedactionPolicy {
  readonly keyPatterns: readonly RegExp[];
  readonly valuePatterns: readonly RegExp[];
  readonly paths: readonly string[];
}

/** Keys whose values are credentials in the usual spellings. */
export const DEFAULT_KEY_PATTERNS: readonly RegExp[] = Object.freeze([
  /password|passwd|secret|token|authorization|api[-_]?key|private[-_]?key|credential|cookie|session/i,
]);

/**
 * Credentials inside free text: bearer tokens, AWS access key ids, PEM private key blocks
 * (an unterminated block is redacted to the end of the string), JWTs, and `key=value` or
 * `key: value` pairs whose key names a credential (the key is kept; an unclosed quoted value is
 * redacted to the end of its line). Each pattern either fails within a bounded number of steps
 * or consumes what it scanned, so redaction stays linear in the length of hostile text.
 */
export const DEFAULT_VALUE_PATTERNS: readonly RegExp[] = Object.freeze([
  /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|[\s\S]*$)/g,
  /\bbearer[ \t]{1,16}[A-Za-z0-9\-._~+/]{8,}=*/gi,
  /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g,
  /(?<keep>\b(?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|client[-_]?secret)[ \t]{0,4}[=:][ \t]{0,4})(?:"[^"\n]*(?:"|(?=\n)|$)|'[^'\n]*(?:'|(?=\n)|$)|[^\s"',;&|]+)/gi,
]);

/** The default policy: the key and value patterns above, no paths. */
export const DEFAULT_REDACTION_POLICY: RedactionPolicy = Object.freeze({
  keyPatterns: DEFAULT_KEY_PATTERNS,
  valuePatterns: DEFAULT_VALUE_PATTERNS,
  paths: Object.freeze([]),
});

/** Containers nested deeper than this are replaced whole rather than inspected. */
const MAX_REDACTION_DEPTH = 64;

/**
 * Returns a redacted copy of a JSON-like value per `policy`; the input is never mutated and
 * the result shares no objects or arrays with it. Objects are rebuilt as plain data objects
 * (keys such as `__proto__` stay ordinary keys). Non-JSON values (functions, symbols, bigints)
 * are kept as they are; containers deeper than 64 levels are replaced by `[REDACTED]`.
 */
export function redact(value: unknown, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): unknown {
  const compiled = compile(policy);
  return redactNode(value, compiled, compiled.paths.children.size === 0 && !compiled.paths.terminal ? [] : [compiled.paths], 0);
}

/** Applies only the value patterns of `policy` to one string. */
export function redactText(text: string, policy: RedactionPolicy = DEFAULT_REDACTION_POLICY): string {
  return compile(policy).valuePatterns.reduce((current, pattern) => replaceMatches(current, pattern), text);
}

interface PathNode {
  readonly children: Map<string, PathNode>;
  terminal: boolean;
}

interface CompiledPolicy {
  readonly keyPatterns: readonly RegExp[];
  readonly valuePatterns: readonly RegExp[];
  readonly paths: PathNode;
}

const compiledPolicies = new WeakMap<RedactionPolicy, CompiledPolicy>();

function compile(policy: RedactionPolicy): CompiledPolicy {
  const cached = compiledPolicies.get(policy);
  if (cached !== undefined) return cached;
  const compiled: CompiledPolicy = {
    keyPatterns: policy.keyPatterns,
    valuePatterns: policy.valuePatterns.map((pattern) => (pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`))),
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
  if (typeof value === "string") return policy.valuePatterns.reduce((text, pattern) => replaceMatches(text, pattern), value);
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

function replaceMatches(text: string, pattern: RegExp): string {
  return text.replace(pattern, (...args: unknown[]) => {
    const groups = args.at(-1);
    const keep = typeof groups === "object" && groups !== null ? (groups as { keep?: unknown }).keep : undefined;
    return `${typeof keep === "string" ? keep : ""}${REDACTED}`;
  });
}
