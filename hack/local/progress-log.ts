import type { HarnessLog } from "../harness/harness-dir.ts";

/** Renders a field value for a progress line: strings as they are, anything else as JSON. */
function fieldText(value: unknown): string {
  if (typeof value === "string") return /\s/.test(value) || value === "" ? JSON.stringify(value) : value;
  return value === undefined ? "undefined" : JSON.stringify(value);
}

/** One progress line: `[local] <message> key=value ...`. */
export function progressLine(fields: Readonly<Record<string, unknown>>, message: string): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${fieldText(value)}`);
  return [`[local] ${message}`, ...pairs].join(" ");
}

/**
 * A harness log for a person at a terminal: constant messages followed by `key=value` fields,
 * one line each, written with `write` (stderr by default, so stdout stays the Incident view).
 */
export function progressLog(write: (line: string) => void = (line) => { console.error(line); }): HarnessLog {
  return { info: (fields, message) => { write(progressLine(fields, message)); } };
}
