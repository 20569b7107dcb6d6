import { boundText } from "../api/v1alpha1/bounds.ts";

/** Longest part of a rejected value an error message quotes. */
const MAX_QUOTED_CHARS = 64;

/**
 * `value` as a JSON string literal for an error message, cut after {@link MAX_QUOTED_CHARS} code
 * points (an ellipsis marks the cut): the value comes from a Playbook or an alert, so it is
 * escaped and never long.
 */
export function quotedValue(value: string): string {
  return JSON.stringify(boundText(value, MAX_QUOTED_CHARS + 1));
}
