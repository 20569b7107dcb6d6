import type { IndicatorKind } from "./indicator-value.ts";

/** One `object-path = 'value'` comparison of a STIX pattern, as the kind of value it names. */
export interface StixComparison {
  readonly kind: Exclude<IndicatorKind, undefined>;
  readonly value: string;
}

const QUOTE = 39;
const BACKSLASH = 92;

// The object paths of the supported subset, with hash names as STIX writes them (quoted when they
// hold a hyphen) and without quotes.
const PATHS: Readonly<Record<string, Exclude<IndicatorKind, undefined>>> = {
  "ipv4-addr:value": "ipv4",
  "ipv6-addr:value": "ipv6",
  "domain-name:value": "domain",
  "url:value": "url",
  "file:hashes.'SHA-256'": "sha256",
  "file:hashes.SHA256": "sha256",
  "file:hashes.'SHA256'": "sha256",
  "file:hashes.'SHA-1'": "sha1",
  "file:hashes.SHA1": "sha1",
  "file:hashes.'SHA1'": "sha1",
  "file:hashes.MD5": "md5",
  "file:hashes.'MD5'": "md5",
};

/**
 * The comparisons of a STIX pattern in the supported subset: observation expressions
 * `[path = 'value' OR path = 'value' …]` joined by `OR`, with the paths of {@link PATHS}
 * (`ISSUBSET` is also accepted for addresses, as a range). Undefined for any other pattern:
 * `AND`, `FOLLOWEDBY`, qualifiers, other operators, other objects or properties, or text that
 * is not a pattern. One pass over the text.
 */
export function parseStixPattern(pattern: string): readonly StixComparison[] | undefined {
  const scanner = new Scanner(pattern);
  const comparisons: StixComparison[] = [];
  do {
    if (!scanner.take("[")) return undefined;
    do {
      const comparison = readComparison(scanner);
      if (comparison === undefined) return undefined;
      comparisons.push(comparison);
    } while (scanner.takeWord("OR"));
    if (!scanner.take("]")) return undefined;
  } while (scanner.takeWord("OR"));
  return scanner.atEnd() ? comparisons : undefined;
}

function readComparison(scanner: Scanner): StixComparison | undefined {
  const kind = PATHS[scanner.path()];
  if (kind === undefined) return undefined;
  const subset = kind === "ipv4" || kind === "ipv6" ? scanner.takeWord("ISSUBSET") : false;
  if (!subset && !scanner.take("=")) return undefined;
  const value = scanner.literal();
  return value === undefined ? undefined : { kind, value };
}

/** Reads tokens of a pattern, skipping white space before each. */
class Scanner {
  private position = 0;
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.position === this.text.length;
  }

  /** Consumes `token` when it comes next. */
  take(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  /** Consumes the keyword `word` (any case) when it comes next as a whole word. */
  takeWord(word: string): boolean {
    this.skipSpace();
    const end = this.position + word.length;
    if (this.text.slice(this.position, end).toUpperCase() !== word || isWordCharacter(this.text.charCodeAt(end))) return false;
    this.position = end;
    return true;
  }

  /** An object path: everything up to white space, an operator or a bracket, quoted parts included whole. */
  path(): string {
    this.skipSpace();
    const start = this.position;
    while (this.position < this.text.length) {
      const code = this.text.charCodeAt(this.position);
      if (code === QUOTE) {
        const closing = this.text.indexOf("'", this.position + 1);
        if (closing < 0) return "";
        this.position = closing + 1;
      } else if (isPathCharacter(code)) {
        this.position++;
      } else {
        break;
      }
    }
    return this.text.slice(start, this.position);
  }

  /** A string literal `'…'` with `\'` and `\\` escapes, unescaped; undefined when none comes next. */
  literal(): string | undefined {
    this.skipSpace();
    if (this.text.charCodeAt(this.position) !== QUOTE) return undefined;
    let value = "";
    let start = this.position + 1;
    for (let position = start; position < this.text.length; position++) {
      const code = this.text.charCodeAt(position);
      if (code === BACKSLASH) {
        const escaped = this.text.charCodeAt(position + 1);
        if (escaped !== QUOTE && escaped !== BACKSLASH) return undefined;
        value += this.text.slice(start, position);
        start = position + 1;
        position++;
      } else if (code === QUOTE) {
        this.position = position + 1;
        return value + this.text.slice(start, position);
      }
    }
    return undefined;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && isSpace(this.text.charCodeAt(this.position))) this.position++;
  }
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || ((code | 0x20) >= 97 && (code | 0x20) <= 122) || code === 95;
}

function isPathCharacter(code: number): boolean {
  return isWordCharacter(code) || code === 45 || code === 58 || code === 46 || code === 91 || code === 42;
}
