/**
 * Lexical scanning of CEL source just deep enough to tell code from string literals and
 * comments, so that brackets and `}}` inside `"..."` or after `//` are not mistaken for code.
 */

const identifierCharacter = /[A-Za-z0-9_]/;
const literalPrefixCharacter = /[rRbB]/;

/**
 * Yields the index of every character of `text` from `start` on that is code: outside string
 * literals (all CEL quote forms and r/b prefixes) and outside `//` comments. Stops early at an
 * unterminated string literal, so a consumer looking for a closing token never finds one there.
 */
export function* codeCharacters(text: string, start = 0): Generator<number, void, undefined> {
  let index = start;
  while (index < text.length) {
    const char = text.charAt(index);
    if (char === '"' || char === "'") {
      const end = stringLiteralEnd(text, index, isRawLiteral(text, index));
      if (end === undefined) return;
      index = end;
      continue;
    }
    if (char === "/" && text.charAt(index + 1) === "/") {
      const newline = text.indexOf("\n", index);
      if (newline === -1) return;
      index = newline;
      continue;
    }
    yield index;
    index += 1;
  }
}

/** The index just past the string literal whose opening quote is at `quoteIndex`. */
function stringLiteralEnd(text: string, quoteIndex: number, raw: boolean): number | undefined {
  const quote = text.charAt(quoteIndex);
  const triple = text.startsWith(quote.repeat(3), quoteIndex);
  const closing = triple ? quote.repeat(3) : quote;
  let index = quoteIndex + closing.length;
  while (index < text.length) {
    if (!raw && text.charAt(index) === "\\") {
      index += 2;
      continue;
    }
    if (text.startsWith(closing, index)) return index + closing.length;
    index += 1;
  }
  return undefined;
}

/** Whether the literal opening at `quoteIndex` has an `r`/`R` prefix (escapes are not processed). */
function isRawLiteral(text: string, quoteIndex: number): boolean {
  let prefixStart = quoteIndex;
  while (prefixStart > 0 && quoteIndex - prefixStart < 2 && literalPrefixCharacter.test(text.charAt(prefixStart - 1))) {
    prefixStart -= 1;
  }
  if (prefixStart > 0 && identifierCharacter.test(text.charAt(prefixStart - 1))) return false;
  return /[rR]/.test(text.slice(prefixStart, quoteIndex));
}

/** The deepest nesting of `(`, `[` and `{` in the code of `source`. */
export function bracketNesting(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (const index of codeCharacters(source)) {
    const char = source.charAt(index);
    if (char === "(" || char === "[" || char === "{") {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if ((char === ")" || char === "]" || char === "}") && depth > 0) {
      depth -= 1;
    }
  }
  return deepest;
}

/** 1-based `line:column` of a UTF-16 offset into `source`. */
export function lineColumn(source: string, offset: number): string {
  const before = source.slice(0, Math.max(0, offset));
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.split("\n").length;
  return `${line}:${offset - lineStart + 1}`;
}
