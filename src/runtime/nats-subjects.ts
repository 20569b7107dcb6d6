/**
 * True when every subject `subject` can match is also matched by `pattern` (NATS wildcards:
 * `*` is one token, `>` one or more trailing tokens). `subject` may itself contain wildcards.
 */
export function subjectCovers(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split(".");
  const subjectTokens = subject.split(".");
  for (let index = 0; index < patternTokens.length; index++) {
    const token = patternTokens[index];
    const candidate = subjectTokens[index];
    if (token === ">") return candidate !== undefined;
    if (candidate === undefined) return false;
    if (token === "*") {
      if (candidate === ">") return false;
      continue;
    }
    if (token !== candidate) return false;
  }
  return patternTokens.length === subjectTokens.length;
}

/** The subjects of `wanted` that no subject of `patterns` covers, in their original order. */
export function uncoveredSubjects(patterns: readonly string[], wanted: readonly string[]): string[] {
  return wanted.filter((subject) => !patterns.some((pattern) => subjectCovers(pattern, subject)));
}

const tokenPattern = /^[^\s.*>]+$/;

/**
 * A NATS subject token made from untrusted text: every run of characters outside `[a-z0-9-]`
 * (after lower-casing) becomes `_`, bounded to 64 characters; never empty.
 */
export function subjectToken(text: string): string {
  const token = text.toLowerCase().replace(/[^a-z0-9-]+/g, "_").slice(0, 64);
  return tokenPattern.test(token) ? token : "_";
}
