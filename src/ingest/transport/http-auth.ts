import { createHash, timingSafeEqual } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { Logger } from "pino";
import { decodeBase64Strict, decodeUtf8 } from "../decode/text-encoding.ts";

/** Why a request was not authenticated: no `Authorization`, one of another form, or a token not accepted. */
export type AuthRefusal = "credentials-missing" | "credentials-malformed" | "token-not-accepted";

/** Why a request was not authenticated, or `ok`. */
export type AuthResult = { ok: true } | { ok: false; refusal: AuthRefusal; message: string };

function digest(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * Parses a token file: one token per line; blank lines and lines starting with `#` are ignored;
 * surrounding whitespace is trimmed.
 */
export function parseTokenFile(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Checks a presented token against accepted token digests in time independent of where they
 * differ: both sides are SHA-256 digests compared with `timingSafeEqual`, and every accepted token
 * is compared even after a match.
 */
export function tokenAccepted(presented: string, accepted: readonly Buffer[]): boolean {
  const candidate = digest(presented);
  let matched = false;
  for (const expected of accepted) {
    if (timingSafeEqual(candidate, expected)) matched = true;
  }
  return matched;
}

/** Reads the `Authorization: Bearer <token>` header value, or undefined when absent or not bearer. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match?.[1];
}

/**
 * Reads the password of `Authorization: Basic <base64(user:password)>` (any user name, which
 * may be empty), or undefined when the header is absent, not Basic, or not canonical base64 of
 * UTF-8 holding a `:`. This is how a producer that can only put credentials in a URL (such as
 * Falcosidekick's CloudEvents output) presents a token.
 */
export function basicPassword(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic[ ]+(\S+)[ ]*$/i.exec(header);
  const bytes = match?.[1] === undefined ? undefined : decodeBase64Strict(match[1]);
  const credentials = bytes === undefined ? undefined : decodeUtf8(bytes);
  const colon = credentials?.indexOf(":") ?? -1;
  return credentials === undefined || colon === -1 ? undefined : credentials.slice(colon + 1);
}

interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

/**
 * Token authentication (a bearer token, or Basic credentials whose password is a token) from a file that may change while the process runs (a mounted
 * Secret): `refresh()` reloads the file when its modification time, size or inode changed; a file
 * that cannot be read on refresh keeps the last accepted tokens and logs an error. The tokens are
 * kept only as digests.
 */
export class TokenFileAuthenticator {
  readonly #path: string;
  readonly #logger: Logger;
  #digests: Buffer[] = [];
  #stamp: FileStamp | undefined;

  /** Loads the file now; throws naming the file when it cannot be read or holds no token. */
  constructor(path: string, logger: Logger) {
    this.#path = path;
    this.#logger = logger;
    const stamp = this.#statOrThrow();
    this.#load(stamp);
    if (this.#digests.length === 0) throw new Error(`receiver.tokenFile: ${path} holds no token`);
  }

  /** How many tokens are accepted now. */
  get tokenCount(): number {
    return this.#digests.length;
  }

  /** Reloads the file if it changed since the last load. */
  refresh(): void {
    let stamp: FileStamp;
    try {
      stamp = this.#statOrThrow();
    } catch (error: unknown) {
      this.#logger.error({ err: error, file: this.#path }, "receiver token file unreadable; keeping previous tokens");
      return;
    }
    const previous = this.#stamp;
    if (previous !== undefined && previous.mtimeMs === stamp.mtimeMs && previous.size === stamp.size && previous.ino === stamp.ino) return;
    try {
      this.#load(stamp);
      this.#logger.info({ file: this.#path, tokens: this.#digests.length }, "receiver token file reloaded");
    } catch (error: unknown) {
      this.#logger.error({ err: error, file: this.#path }, "receiver token file unreadable; keeping previous tokens");
    }
  }

  /** Checks the request's Authorization header: `Bearer <token>` or `Basic` with any user name and a token as password. */
  check(authorization: string | undefined): AuthResult {
    if (authorization === undefined) {
      return { ok: false, refusal: "credentials-missing", message: "Authorization: a bearer token, or Basic credentials whose password is a token, is required" };
    }
    const token = bearerToken(authorization) ?? basicPassword(authorization);
    if (token === undefined) {
      return { ok: false, refusal: "credentials-malformed", message: "Authorization: neither a bearer token nor Basic credentials" };
    }
    if (!tokenAccepted(token, this.#digests)) return { ok: false, refusal: "token-not-accepted", message: "Authorization: the token is not accepted" };
    return { ok: true };
  }

  #statOrThrow(): FileStamp {
    try {
      const stats = statSync(this.#path);
      return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
    } catch (error: unknown) {
      throw new Error(`receiver.tokenFile: cannot read ${this.#path}`, { cause: error });
    }
  }

  #load(stamp: FileStamp): void {
    const tokens = parseTokenFile(readFileSync(this.#path, "utf8"));
    this.#digests = tokens.map(digest);
    this.#stamp = stamp;
  }
}
