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

/**
 * True when some subject matches both `a` and `b` (NATS wildcards: `*` is one token, `>` one or
 * more trailing tokens): a JetStream stream of one would capture messages published on the other.
 */
export function subjectsOverlap(a: string, b: string): boolean {
  const left = a.split(".");
  const right = b.split(".");
  for (let index = 0; ; index++) {
    const mine = left[index];
    const theirs = right[index];
    if (mine === ">" || theirs === ">") return mine !== undefined && theirs !== undefined;
    if (mine === undefined || theirs === undefined) return mine === theirs;
    if (mine !== "*" && theirs !== "*" && mine !== theirs) return false;
  }
}

const tokenPattern = /^[^\s.*>]+$/;

/** Whether `subject` is a subject without wildcards: tokens separated by `.`, none empty, without white space, `*` or `>`. */
export function isLiteralSubject(subject: string): boolean {
  return subject.split(".").every((token) => tokenPattern.test(token));
}

/**
 * A NATS subject token made from untrusted text: every run of characters outside `[a-z0-9-]`
 * (after lower-casing) becomes `_`, bounded to 64 characters; never empty.
 */
export function subjectToken(text: string): string {
  const token = text.toLowerCase().replace(/[^a-z0-9-]+/g, "_").slice(0, 64);
  return tokenPattern.test(token) ? token : "_";
}
