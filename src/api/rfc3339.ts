const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,32})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * True when `text` is an RFC 3339 `date-time` (section 5.6): full date, `T`, full time with
 * optional fraction, and `Z` or a numeric offset, with every field in range (month days,
 * leap years, a leap second 60). Nothing looser ("yesterday", a bare date, an epoch) passes.
 */
export function isRfc3339Timestamp(text: string): boolean {
  return parseRfc3339(text) !== undefined;
}

/**
 * The epoch milliseconds of an RFC 3339 `date-time` as {@link isRfc3339Timestamp} accepts it
 * (a leap second counts as the last millisecond of its minute), else undefined.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = TIMESTAMP.exec(text);
  if (match === null) return undefined;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1, 7).map(Number);
  const [offsetHour = 0, offsetMinute = 0] = match.slice(9, 11).map((part: string | undefined) => Number(part ?? "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 60 || offsetHour > 23 || offsetMinute > 59) return undefined;
  const fraction = second === 60 ? 999 : Math.floor(Number(`0${match[7] ?? ""}`) * 1000);
  const offset = (match[8] === "-" ? -1 : 1) * (offsetHour * 60 + offsetMinute) * 60_000;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, Math.min(second, 59), fraction);
  return utc.getTime() - offset;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
