import { boundText, fitsLength, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../../api/v1alpha1/bounds.ts";
import { redactNamedValue, redactSecrets } from "../../redaction/free-text.ts";

/** Longest raw message kept when the termination message is not a JSON object. */
export const MAX_RAW_MESSAGE_LENGTH = 1024;

const outputKeyPattern = /^[A-Za-z0-9_.-]{1,63}$/;

/** The outputs read from a container's termination message, and what was dropped on the way. */
export interface TerminationOutputs {
  readonly outputs: Readonly<Record<string, string>>;
  /** Set when something was dropped or the message was not a JSON object; for the step message. */
  readonly note?: string;
}

function asOutputValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function parseObject(message: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(message);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads a Job step's outputs from its container's termination message. A JSON object becomes
 * outputs key by key: strings as they are, numbers and booleans in their JSON form, null as
 * "", nested values as JSON text; keys outside `[A-Za-z0-9_.-]{1,63}` and keys beyond
 * {@link MAX_OUTPUTS} are dropped, values are cut at {@link MAX_OUTPUT_VALUE_LENGTH}. Any other
 * non-empty message (plain text, a JSON array, invalid JSON) does not fail the step: it becomes
 * the single output `message`, cut at {@link MAX_RAW_MESSAGE_LENGTH}. Credentials are redacted
 * before cutting (the whole value of a key that names one, see `redactNamedValue`). Never throws.
 */
export function outputsFromTerminationMessage(message: string | undefined): TerminationOutputs {
  if (message === undefined || message.trim() === "") return { outputs: {} };
  const object = parseObject(message);
  if (object === undefined) {
    return {
      outputs: { message: boundText(redactSecrets(message), MAX_RAW_MESSAGE_LENGTH, "") },
      note: "termination message is not a JSON object; kept as the output \"message\"",
    };
  }
  const kept: [string, string][] = [];
  const dropped: string[] = [];
  let cut = 0;
  for (const [key, value] of Object.entries(object)) {
    if (!outputKeyPattern.test(key) || kept.length >= MAX_OUTPUTS) {
      dropped.push(key);
      continue;
    }
    const text = redactNamedValue(key, asOutputValue(value));
    if (!fitsLength(text, MAX_OUTPUT_VALUE_LENGTH)) cut += 1;
    kept.push([key, boundText(text, MAX_OUTPUT_VALUE_LENGTH, "")]);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays plain data.
  const outputs = Object.fromEntries(kept);
  const notes: string[] = [];
  if (dropped.length > 0) notes.push(`${dropped.length} output key(s) dropped (invalid name or more than ${MAX_OUTPUTS})`);
  if (cut > 0) notes.push(`${cut} output value(s) cut at ${MAX_OUTPUT_VALUE_LENGTH} characters`);
  return notes.length === 0 ? { outputs } : { outputs, note: notes.join("; ") };
}
