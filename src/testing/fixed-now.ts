/** The instant unit tests read as "now" when the time itself does not matter. Never mutate it. */
export const FIXED_NOW: Date = new Date("2026-03-01T12:00:00.000Z");

/** The ISO text of {@link FIXED_NOW} moved back by `ms` milliseconds. */
export function beforeFixedNow(ms: number): string {
  return new Date(FIXED_NOW.getTime() - ms).toISOString();
}
