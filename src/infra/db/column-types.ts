/**
 * How DATE and TIMESTAMPTZ columns come back from either adapter: as the strings the code writes
 * into them, a calendar date `YYYY-MM-DD` and an instant as `Date.prototype.toISOString` gives
 * it (UTC, milliseconds). The drivers would make Date objects of both, each in its own way; one
 * form for both keeps the embedded default and PostgreSQL answering alike.
 */
export const DATE_OID = 1082;
export const TIMESTAMPTZ_OID = 1184;

/** PostgreSQL writes a DATE as `YYYY-MM-DD` (DateStyle ISO, the default of both). */
export function dateText(value: string): string {
  return value;
}

/** PostgreSQL writes `2026-12-04 10:00:00.123+00` (or `+05:30`); made an ISO instant in UTC. */
export function instantText(value: string): string {
  const iso = value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const instant = new Date(iso);
  return Number.isNaN(instant.getTime()) ? value : instant.toISOString();
}

/** Type parsers by type OID, for a driver's text values. */
export const COLUMN_PARSERS: Readonly<Record<number, (value: string) => string>> = {
  [DATE_OID]: dateText,
  [TIMESTAMPTZ_OID]: instantText,
};
