/**
 * EBTS dates are CCYYMMDD. A date of birth may leave the day, or month and day, as 00 when
 * unknown; every other date must be a real calendar day.
 */
export function checkDate(text: string, options: { allowUnknownParts?: boolean } = {}): string | undefined {
  if (!/^\d{8}$/.test(text)) return `"${text}" is not a date in CCYYMMDD form`;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  if (year < 1900) return `year ${year} is before 1900`;
  if (options.allowUnknownParts && month === 0) return day === 0 ? undefined : `${text}: a day without a month`;
  if (month < 1 || month > 12) return `${text}: month ${month} does not exist`;
  if (options.allowUnknownParts && day === 0) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `${text}: day ${day} does not exist in month ${month} of ${year}`;
  return undefined;
}

/** CCYYMMDD of a moment, in UTC. */
export function formatDate(moment: Date): string {
  return moment.toISOString().slice(0, 10).replaceAll('-', '');
}

/** CCYYMMDDHHMMSSZ (1.014 GMT) of a moment. */
export function formatGmt(moment: Date): string {
  return `${moment.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`;
}
