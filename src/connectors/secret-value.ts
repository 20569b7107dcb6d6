import { inspect } from "node:util";

const redacted = "[redacted]";

/**
 * A credential read from a Secret. It prints, serialises and inspects as `[redacted]`, so a
 * value that reaches a log line, an error or a status by mistake shows nothing; only
 * `reveal()` and `bytes()` hand out the content, at the place it is sent.
 */
export class SecretValue {
  readonly #bytes: Buffer;

  constructor(bytes: Buffer) {
    this.#bytes = Buffer.from(bytes);
  }

  /** The content as UTF-8 text. */
  reveal(): string {
    return this.#bytes.toString("utf8");
  }

  /** A copy of the content's bytes (certificates, keys). */
  bytes(): Buffer {
    return Buffer.from(this.#bytes);
  }

  toString(): string {
    return redacted;
  }

  toJSON(): string {
    return redacted;
  }

  [inspect.custom](): string {
    return redacted;
  }
}
