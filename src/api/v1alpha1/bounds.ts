/**
 * The bounds of the API's text fields and lists that writers must respect, and the one function
 * that cuts text to a bound. The schema (`schema/`) declares its `maxLength`s and `maxItems` with
 * these constants, so a schema change moves every writer with it. (The Incident's list sizes,
such as `MAX_TIMELINE_ENTRIES`, are exported by `schema/incident.ts` itself.)
 *
 * Lengths count Unicode code points, as the API server does for `maxLength`.
 */

/**
 * Longest human-readable message kube-soar writes: a step's or a run's `message`, a timeline
 * entry's, a condition's and an Event's.
 */
export const MAX_MESSAGE_LENGTH = 1024;

/** Most outputs one step records. */
export const MAX_OUTPUTS = 16;

/** Longest value of one step output. */
export const MAX_OUTPUT_VALUE_LENGTH = 2048;

/** Longest Incident title (`spec.title`). */
export const MAX_TITLE_LENGTH = 256;

/** Longest CloudEvent attributes of an Incident's `spec.event`. */
export const INCIDENT_EVENT_BOUNDS = { id: 256, source: 1024, type: 256, subject: 1024 } as const;

/** Longest value of an observable (an indicator extracted from an event). */
export const MAX_OBSERVABLE_VALUE_LENGTH = 1024;

/** Longest names of an Incident's `spec.resources`. */
export const AFFECTED_RESOURCE_BOUNDS = { namespace: 63, pod: 253, container: 63, node: 253, image: 512, workload: 320 } as const;

/** What marks the place where text was cut. */
export const CUT_MARKER = "…";

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The first `count` code points of `text` (a UTF-16 prefix that never ends inside a surrogate pair). */
function headCodePoints(text: string, count: number): string {
  let end = 0;
  for (let taken = 0; taken < count && end < text.length; taken++) {
    end += isHighSurrogate(text.charCodeAt(end)) && end + 1 < text.length ? 2 : 1;
  }
  return text.slice(0, end);
}

function codePointCount(text: string, atMost: number): number {
  let count = 0;
  for (let index = 0; index < text.length && count <= atMost; count++) {
    index += isHighSurrogate(text.charCodeAt(index)) && index + 1 < text.length ? 2 : 1;
  }
  return count;
}

/** Whether `text` is at most `max` code points long: whether the schema's `maxLength` admits it. */
export function fitsLength(text: string, max: number): boolean {
  return text.length <= max || codePointCount(text, max) <= max;
}

/**
 * `text` cut to at most `max` code points, never inside a surrogate pair. A cut text ends with
 * `marker` (by default {@link CUT_MARKER}), counted in the bound; text within the bound is
 * returned unchanged.
 */
export function boundText(text: string, max: number, marker: string = CUT_MARKER): string {
  if (fitsLength(text, max)) return text;
  const room = Math.max(0, max - codePointCount(marker, max));
  return headCodePoints(text, room) + marker;
}

/**
 * The last `max` code points of `text`, never starting inside a surrogate pair; a cut text
 * starts with {@link CUT_MARKER} (counted in the bound). For logs, whose end matters most.
 */
export function boundTextTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= max) return text;
  return CUT_MARKER + codePoints.slice(codePoints.length - Math.max(0, max - 1)).join("");
}

/** Most warnings a Playbook's `status.warnings` lists; the last entry then counts the rest. */
export const MAX_PLAYBOOK_WARNINGS = 32;
