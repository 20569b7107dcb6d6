/** Values shorter than this are not scrubbed: they would match ordinary text everywhere. */
const MIN_SECRET_LENGTH = 4;

/**
 * Collects the credentials a call used and scrubs them (and the forms they were sent in)
 * from any text that leaves the call: messages, outputs, log fields.
 */
export class Redactor {
  readonly #values = new Set<string>();

  /** Registers a credential, in every form it appears in. */
  add(...values: readonly string[]): void {
    for (const value of values) {
      if (value.length >= MIN_SECRET_LENGTH) this.#values.add(value);
    }
  }

  /** `text` with every registered credential replaced by `[redacted]`, longest first. */
  scrub(text: string): string {
    let result = text;
    for (const value of [...this.#values].sort((a, b) => b.length - a.length)) result = result.split(value).join("[redacted]");
    return result;
  }

  /** Scrubs every value of a record. */
  scrubRecord(record: Readonly<Record<string, string>>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) result[key] = this.scrub(value);
    return result;
  }
}
