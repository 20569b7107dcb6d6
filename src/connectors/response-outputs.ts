import { boundText, MAX_OUTPUT_VALUE_LENGTH, MAX_OUTPUTS } from "../api/v1alpha1/bounds.ts";
import { redactNamedValue, redactSecrets } from "../redaction/free-text.ts";
import type { IncomingResponse } from "./http-transport.ts";

const outputName = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON value under `name` as an output string (strings as they are, anything else as JSON text), credentials redacted. */
function outputText(name: string, value: unknown): string {
  return boundText(redactNamedValue(name, typeof value === "string" ? value : JSON.stringify(value)), MAX_OUTPUT_VALUE_LENGTH);
}

/**
 * Outputs of a JSON API answer: `status`, then the top-level fields of a JSON object body
 * whose names are usable in expressions (`steps.<name>.outputs.<field>`), in order, up to 15;
 * other bodies (arrays, text, a truncated body) become one `body` output. Credentials are
 * redacted (the whole value of a field whose name names one, see `redactNamedValue`); every
 * value is bounded to 2048 characters.
 */
export function jsonOutputs(response: IncomingResponse): Record<string, string> {
  const outputs: Record<string, string> = { status: String(response.status) };
  const parsed = response.truncated ? undefined : parseJson(response.body);
  if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) {
    for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
      if (Object.keys(outputs).length >= MAX_OUTPUTS) break;
      if (outputName.test(name) && name !== "status") outputs[name] = outputText(name, value);
    }
    return outputs;
  }
  if (response.body !== "") outputs["body"] = boundText(redactSecrets(response.body), MAX_OUTPUT_VALUE_LENGTH);
  return outputs;
}

/** Named fields of a JSON object body, when present, as bounded outputs with credentials redacted (plus `status`). */
export function selectedJsonOutputs(response: IncomingResponse, fields: Readonly<Record<string, string>>): Record<string, string> {
  const outputs: Record<string, string> = { status: String(response.status) };
  const parsed = response.truncated ? undefined : parseJson(response.body);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return outputs;
  for (const [output, field] of Object.entries(fields)) {
    const value = (parsed as Record<string, unknown>)[field];
    if (value !== undefined) outputs[output] = outputText(field, value);
  }
  return outputs;
}
