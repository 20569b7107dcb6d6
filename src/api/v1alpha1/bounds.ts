/** Cuts `text` to at most `max` characters, marking a cut with an ellipsis. */
export function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** Longest step message the Incident status holds (the schema's bound). */
export const MAX_STEP_MESSAGE_LENGTH = 1024;
