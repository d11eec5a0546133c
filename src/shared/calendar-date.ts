/**
 * Calendar dates as the repositories keep them: `YYYY-MM-DD`, a day that exists. Pure; the
 * domain rules that bound dates (not before 1900, not after today) are built on these.
 */
const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The earliest date any record may carry: nobody on file was born, arrested or admitted before it. */
export const EARLIEST_DATE = '1900-01-01';

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = SHAPE.exec(value);
  if (!match) return false;
  const [y, m, d] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** The calendar date `days` after `date` (both `YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * The latest date a record made now may carry: today in UTC, plus one day, because a port or
 * a jail east of Greenwich is already in tomorrow while UTC is not.
 */
export function latestDate(now: Date): string {
  return addDays(now.toISOString().slice(0, 10), 1);
}
