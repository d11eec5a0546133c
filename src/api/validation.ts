import { ConcordError } from '../shared/errors.ts';

/** Small, explicit checks of request bodies; each failure names the field. */
export function parseJsonPart(text: string, part: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch (error) {
    throw new ConcordError('BAD_JSON', `part "${part}" is not a JSON object: ${error instanceof Error ? error.message : error}`, { part });
  }
}

export function requireString(body: Record<string, unknown>, field: string, pattern?: RegExp): string {
  const value = field.split('.').reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), body);
  if (typeof value !== 'string' || value.trim() === '') throw new ConcordError('BAD_REQUEST', `field "${field}" is required`, { field });
  if (pattern && !pattern.test(value)) throw new ConcordError('BAD_REQUEST', `field "${field}" is malformed: "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`, { field });
  return value;
}

/** A name or title: one line, at most 200 characters. */
export const SHORT_TEXT = /^[^\n\r]{1,200}$/;

/** An originating agency identifier: two letters of the state, then seven letters or digits. */
export const ORI = /^[A-Z]{2}[A-Z0-9]{7}$/;

export const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function requireDate(body: Record<string, unknown>, field: string): string {
  const value = requireString(body, field, DATE);
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) throw new ConcordError('BAD_REQUEST', `field "${field}" is not a real date: ${value}`, { field });
  return value;
}
