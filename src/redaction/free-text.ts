/** What redacted values are replaced with. */
export const REDACTED = "[REDACTED]";

/*
 * Hand-written scanners rather than regular expressions: the text is hostile (alert payloads,
 * Pod logs, responses of remote services), and every scanner below only moves forward, each
 * character being examined a bounded number of times, so redaction is linear in the length of
 * the text whatever it contains.
 */

/** Name segments that make a `name=value` pair a credential when they end the name. */
const SECRET_WORDS = ["password", "passwd", "secret", "token", "credential", "apikey", "privatekey", "accesskey"];
/** Whole last segments that name a credential. */
const SECRET_SEGMENTS = new Set(["pwd", "pass", "passphrase", "auth"]);
/** Qualifiers that make a `*_KEY` name an identifier rather than a credential (`dedup_key`, `sort_key`). */
const IDENTIFIER_KEY_QUALIFIERS = new Set(["dedup", "idempotency", "sort", "partition", "primary", "foreign", "cache", "public", "object", "row", "lookup", "group", "shard"]);
/** Names whose value is a whole HTTP credential (scheme and parameters). */
const HEADER_NAMES = new Set(["authorization", "proxy-authorization"]);

function isNameChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f || code === 0x2d || code === 0x2e
  );
}

function isAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

function isBlank(char: string | undefined): boolean {
  return char === " " || char === "\t";
}

/**
 * Whether `name` (a run of letters, digits, `_`, `-`, `.`; leading dashes of a flag ignored)
 * names a credential: `Authorization` and `Proxy-Authorization`, or a name whose last
 * `_`/`-`/`.` segment contains password, passwd, secret, token, credential, apikey, privatekey
 * or accesskey, is pwd, pass, passphrase or auth, or is `key` after a qualifier
 * (`AWS_SECRET_ACCESS_KEY`, `api-key`) other than identifier ones such as `dedup_key`. The last
 * segment decides, so `DB_PASSWORD` is a credential and `password_policy` is not. Case-insensitive.
 */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase().replace(/^[-.]+/, "");
  if (HEADER_NAMES.has(lower)) return true;
  const segments = lower.split(/[-_.]/).filter((segment) => segment !== "");
  const last = segments.at(-1);
  if (last === undefined) return false;
  if (SECRET_SEGMENTS.has(last)) return true;
  if (last === "key") return segments.length >= 2 && !IDENTIFIER_KEY_QUALIFIERS.has(segments.at(-2) ?? "");
  return SECRET_WORDS.some((word) => last.includes(word));
}

const isUpperAlnum = (code: number): boolean => (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
const isWordChar = (code: number): boolean => isAlnum(code) || code === 0x5f;
const isBase64UrlChar = (code: number): boolean => isWordChar(code) || code === 0x2d;

function runEnd(token: string, from: number, test: (code: number) => boolean): number {
  let i = from;
  while (i < token.length && test(token.charCodeAt(i))) i++;
  return i;
}

/** Length of the well-known token at the start of a run of name characters, 0 when there is none. */
function tokenShapeLength(token: string): number {
  if (/^(?:AKIA|ASIA|ABIA|ACCA)/.test(token)) return runEnd(token, 4, isUpperAlnum) === 20 ? 20 : 0;
  if (/^gh[pousr]_/.test(token)) return atLeast(runEnd(token, 4, isAlnum), 24);
  if (token.startsWith("github_pat_")) return atLeast(runEnd(token, 11, isWordChar), 31);
  if (/^xox[abprs]-/.test(token)) return atLeast(runEnd(token, 5, (code) => isAlnum(code) || code === 0x2d), 15);
  if (token.startsWith("eyJ")) {
    const header = runEnd(token, 0, isBase64UrlChar);
    if (token[header] !== "." || !token.startsWith("eyJ", header + 1)) return 0;
    const payload = runEnd(token, header + 1, isBase64UrlChar);
    if (token[payload] !== ".") return 0;
    return runEnd(token, payload + 1, isBase64UrlChar);
  }
  return 0;
}

function atLeast(length: number, minimum: number): number {
  return length >= minimum ? length : 0;
}

/** End of an unquoted value: whitespace or a delimiter that cannot be part of it in shell, URL or log syntax. */
function unquotedValueEnd(text: string, from: number, stopAtBlank: boolean, stopQuote: string | undefined): number {
  let i = from;
  for (; i < text.length; i++) {
    const char = text[i];
    if (char === "\n" || char === "\r" || char === stopQuote || (stopAtBlank && (char === '"' || char === "'"))) break;
    if (stopAtBlank && (isBlank(char) || char === "," || char === ";" || char === "&" || char === "|")) break;
  }
  return i;
}

/**
 * End of a value starting at `from`: a quoted value through its closing quote (or its line's
 * end), else an unquoted one; an unquoted header value runs to the end of its line or to
 * `headerQuote`, the quote the header itself was written in.
 */
function valueEnd(text: string, from: number, header: boolean, headerQuote?: string): number {
  const quote = text[from];
  if (quote === '"' || quote === "'") {
    let i = from + 1;
    while (i < text.length && text[i] !== quote && text[i] !== "\n") i++;
    return text[i] === quote ? i + 1 : i;
  }
  return unquotedValueEnd(text, from, !header, header ? headerQuote : undefined);
}

/** `name=value`, `name: value`, `"name": "value"`, `--name value`, `Bearer token` and token shapes. */
function redactNamedValues(text: string): string {
  const pieces: string[] = [];
  let emitted = 0;
  let i = 0;
  while (i < text.length) {
    if (!isNameChar(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && isNameChar(text.charCodeAt(end))) end++;
    const token = text.slice(i, end);
    const redaction = tokenRedaction(text, token, i, end);
    if (redaction === undefined) {
      i = end;
      continue;
    }
    pieces.push(text.slice(emitted, redaction.from), REDACTED);
    emitted = redaction.to;
    i = Math.max(redaction.to, end);
  }
  if (emitted === 0) return text;
  pieces.push(text.slice(emitted));
  return pieces.join("");
}

/** Where (if anywhere) the text after the name run `token` at [start, end) is a credential. */
function tokenRedaction(text: string, token: string, start: number, end: number): { from: number; to: number } | undefined {
  const previous = text.charCodeAt(start - 1);
  const shape = tokenShapeLength(token);
  if (shape > 0) return { from: start, to: start + shape };
  let k = end;
  if (text[k] === '"' || text[k] === "'") k++;
  while (isBlank(text[k])) k++;
  const separator = text[k];
  if (separator === "=" || separator === ":") {
    if (!isSecretName(token)) return undefined;
    k++;
    if (separator === ":") while (isBlank(text[k])) k++;
    const before = text[start - 1];
    const to = valueEnd(text, k, HEADER_NAMES.has(token.toLowerCase()), before === '"' || before === "'" ? before : undefined);
    return to > k ? { from: k, to } : undefined;
  }
  const flag = token.startsWith("--");
  if ((flag && isSecretName(token)) || (token.toLowerCase() === "bearer" && !isAlnum(previous))) {
    if (!isBlank(text[end])) return undefined;
    let from = end;
    while (isBlank(text[from])) from++;
    if (text[from] === "-" && flag) return undefined;
    const to = valueEnd(text, from, false);
    if (flag) return to > from ? { from, to } : undefined;
    return to - from >= 8 ? { from: start, to } : undefined;
  }
  return undefined;
}

/** `scheme://user:password@host` → `scheme://user:[REDACTED]@host`. */
function redactUrlUserinfo(text: string): string {
  const pieces: string[] = [];
  let emitted = 0;
  let search = 0;
  for (;;) {
    const marker = text.indexOf("://", search);
    if (marker === -1) break;
    const start = marker + 3;
    let colon = -1;
    let i = start;
    for (; i < text.length; i++) {
      const char = text[i];
      if (char === "@" || char === "/" || char === "?" || char === "#" || char === undefined || /\s/.test(char) || char === '"' || char === "'") break;
      if (char === ":" && colon === -1) colon = i;
    }
    if (text[i] === "@" && colon !== -1 && i > colon + 1) {
      pieces.push(text.slice(emitted, colon + 1), REDACTED);
      emitted = i;
    }
    search = Math.max(i, start);
  }
  if (emitted === 0) return text;
  pieces.push(text.slice(emitted));
  return pieces.join("");
}

const PEM_BEGIN = "-----BEGIN ";
const PEM_END = "-----END ";
/** Longest label scanned in a PEM header or footer (`ENCRYPTED PRIVATE KEY` and the like). */
const PEM_LABEL_LIMIT = 64;

/** A PEM private key block, or an unterminated one through the end of the text. */
function redactPemBlocks(text: string): string {
  const pieces: string[] = [];
  let emitted = 0;
  let search = 0;
  for (;;) {
    const begin = text.indexOf(PEM_BEGIN, search);
    if (begin === -1) break;
    const labelStart = begin + PEM_BEGIN.length;
    const labelEnd = text.indexOf("-----", labelStart);
    if (labelEnd === -1 || labelEnd - labelStart > PEM_LABEL_LIMIT || !text.slice(labelStart, labelEnd).includes("PRIVATE KEY")) {
      search = labelStart;
      continue;
    }
    const footer = text.indexOf(PEM_END, labelEnd + 5);
    let blockEnd = text.length;
    if (footer !== -1) {
      const close = text.indexOf("-----", footer + PEM_END.length);
      blockEnd = close !== -1 && close - footer <= PEM_LABEL_LIMIT + PEM_END.length ? close + 5 : footer + PEM_END.length;
    }
    pieces.push(text.slice(emitted, begin), REDACTED);
    emitted = blockEnd;
    search = blockEnd;
    if (blockEnd >= text.length) break;
  }
  if (emitted === 0) return text;
  pieces.push(text.slice(emitted));
  return pieces.join("");
}

/**
 * `text` with the credentials it carries replaced by `[REDACTED]`: PEM private key blocks (an
 * unterminated one through the end of the text), the password of URL userinfo (the user is
 * kept), values of `name=value`, `name: value` and `"name": "value"` pairs and of `--name value`
 * flags whose name's last segment names a credential (`DB_PASSWORD`, `AWS_SECRET_ACCESS_KEY`,
 * `GITHUB_TOKEN`, `api-key`, `client.secret`; the name is kept), the whole value of
 * `Authorization` and `Proxy-Authorization` whatever the scheme, `Bearer` tokens, and tokens of
 * well-known shapes (AWS access key ids, GitHub and Slack tokens, JWTs). Runs in time linear in
 * the length of `text`; text without credentials is returned unchanged.
 */
export function redactSecrets(text: string): string {
  return redactNamedValues(redactUrlUserinfo(redactPemBlocks(text)));
}

/**
 * An output value named `name` with its credentials redacted: the whole value when the name
 * itself names a credential (`isSecretName`), else `redactSecrets(value)`. Empty values stay empty.
 */
export function redactNamedValue(name: string, value: string): string {
  if (value === "") return value;
  return isSecretName(name) ? REDACTED : redactSecrets(value);
}
