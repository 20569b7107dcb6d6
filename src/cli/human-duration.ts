/**
 * A duration as kubectl's AGE column shows it (apimachinery's `duration.HumanDuration`): `45s`,
 * `3m20s`, `2h5m`, `3d4h`, `400d`, `3y10d`; `0s` up to 2 seconds in the future (clock skew),
 * `<invalid>` beyond.
 */
export function humanDuration(milliseconds: number): string {
  const seconds = Math.trunc(milliseconds / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  const days = Math.trunc(hours / 24);
  if (hours < 24 * 8) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${days}d`;
  const years = Math.trunc(days / 365);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** {@link humanDuration} of the time from `since` (an RFC 3339 timestamp) to `now`; `<unknown>` when absent or unreadable. */
export function ageOf(since: string | Date | undefined, now: Date): string {
  if (since === undefined) return "<unknown>";
  const time = since instanceof Date ? since.getTime() : Date.parse(since);
  return Number.isNaN(time) ? "<unknown>" : humanDuration(now.getTime() - time);
}
