const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,32})?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/**
 * True when `text` is an RFC 3339 `date-time` (section 5.6): full date, `T`, full time with
 * optional fraction, and `Z` or a numeric offset, with every field in range (month days,
 * leap years, a leap second 60). Nothing looser ("yesterday", a bare date, an epoch) passes.
 */
export function isRfc3339Timestamp(text: string): boolean {
  const match = TIMESTAMP.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match.slice(1).map((part: string | undefined) => Number(part ?? "0"));
  if (year === undefined || month === undefined || day === undefined) return false;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || (second ?? 0) > 60) return false;
  return (offsetHour ?? 0) <= 23 && (offsetMinute ?? 0) <= 59;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
