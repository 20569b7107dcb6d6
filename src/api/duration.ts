const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
/** A Go-style duration as {@link parseDuration} accepts it: one or more `<number><ms|s|m|h>`. */
export const DURATION_PATTERN = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const segmentPattern = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/**
 * Parses a Go-style duration (`90s`, `1h30m`, `250ms`) into milliseconds, the format used by
 * every duration field of the API and every duration flag; returns undefined when malformed.
 */
export function parseDuration(text: string): number | undefined {
  if (!DURATION_PATTERN.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(segmentPattern)) {
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** Formats milliseconds as the shortest Go-style duration that parses back to the same value. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1_000], ["ms", 1]] as const) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.join("");
}
