import { ConcordError } from '../../shared/errors.ts';
import { EARLIEST_DATE, isCalendarDate } from '../../shared/calendar-date.ts';

/**
 * What an arrest cycle may hold (domain brief §4.2): its charges and its court dispositions, and
 * who may report a disposition. Pure: the criminal node applies these before anything is written,
 * and again to what it reads back, so a value that slipped past the API cannot reach a rap sheet.
 */
export const SEVERITIES = ['felony', 'misdemeanor'] as const;
export const OUTCOMES = ['convicted', 'dismissed', 'pending', 'acquitted'] as const;
/** Criminal-alien priority levels (domain brief §6.4). */
export const LEVELS = [1, 2, 3] as const;

export type Severity = (typeof SEVERITIES)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type Level = (typeof LEVELS)[number];

export interface Charge {
  ncicOffenseCode?: string;
  literal: string;
  severity: Severity;
  level?: Level;
}

export interface Disposition {
  court: string;
  date: string;
  outcome: Outcome;
  sentence?: string;
}

/** An arrest as submitted: the facts these rules check. */
export interface ArrestFacts {
  dob: string;
  dateOfArrest: string;
  charges: unknown;
  dispositions?: unknown;
}

/** Dates a disposition may carry: not before the arrest, not after today. */
interface DateBounds {
  earliest: string;
  latest: string;
}

const MAX_ENTRIES = 50;
/** One line of printable text: no control characters (NUL included), which no record needs. */
const TEXT = /^[^\u0000-\u001f\u007f]+$/;
/** NCIC offense codes are four digits (e.g. 1313 simple assault). */
const NCIC_CODE = /^\d{4}$/;

function invalid(field: string, message: string): ConcordError {
  return new ConcordError('BAD_REQUEST', `field "${field}" ${message}`, { field });
}

function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'is required (text)');
  if (value.length > maxLength || !TEXT.test(value)) throw invalid(field, `must be one line of at most ${maxLength} characters`);
  return value;
}

function date(value: unknown, field: string, bounds: DateBounds): string {
  if (!isCalendarDate(value)) throw invalid(field, 'must be a calendar date YYYY-MM-DD');
  if (value < bounds.earliest || value > bounds.latest) throw invalid(field, `must lie between ${bounds.earliest} and ${bounds.latest}`);
  return value;
}

function record(value: unknown, field: string, shape: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, `must be an object ${shape}`);
  return value as Record<string, unknown>;
}

function list(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(field, 'must be a list');
  if (value.length > MAX_ENTRIES) throw invalid(field, `may hold at most ${MAX_ENTRIES} entries`);
  return value;
}

/** A charge as the repository keeps it (unknown keys dropped), or a BAD_REQUEST naming the field. */
export function checkCharge(value: unknown, field: string): Charge {
  const charge = record(value, field, '{ncicOffenseCode?, literal, severity, level?}');
  if (!SEVERITIES.includes(charge.severity as Severity)) throw invalid(`${field}.severity`, `must be one of ${SEVERITIES.join(', ')}`);
  const checked: Charge = { literal: text(charge.literal, `${field}.literal`, 300), severity: charge.severity as Severity };
  if (charge.ncicOffenseCode !== undefined) {
    if (typeof charge.ncicOffenseCode !== 'string' || !NCIC_CODE.test(charge.ncicOffenseCode)) throw invalid(`${field}.ncicOffenseCode`, 'must be a four-digit NCIC offense code');
    checked.ncicOffenseCode = charge.ncicOffenseCode;
  }
  if (charge.level !== undefined) {
    if (!LEVELS.includes(charge.level as Level)) throw invalid(`${field}.level`, `must be one of ${LEVELS.join(', ')}`);
    checked.level = charge.level as Level;
  }
  return checked;
}

/** A disposition as the repository keeps it, or a BAD_REQUEST naming the field. */
export function checkDisposition(value: unknown, field: string, bounds: DateBounds): Disposition {
  const disposition = record(value, field, '{court, date, outcome, sentence?}');
  if (!OUTCOMES.includes(disposition.outcome as Outcome)) throw invalid(`${field}.outcome`, `must be one of ${OUTCOMES.join(', ')}`);
  const checked: Disposition = {
    court: text(disposition.court, `${field}.court`, 200),
    date: date(disposition.date, `${field}.date`, bounds),
    outcome: disposition.outcome as Outcome,
  };
  if (disposition.sentence !== undefined) checked.sentence = text(disposition.sentence, `${field}.sentence`, 200);
  return checked;
}

/**
 * Courts report dispositions (the FBI records their reports on the rap sheet); an arresting
 * agency knows at most that the case is pending. So only a submitter who may report dispositions
 * sends any other outcome. Checks one disposition of an arrest made on `dateOfArrest`.
 */
export function checkReportedDisposition(value: unknown, field: string, context: { dateOfArrest: string; latest: string; reportsDispositions: boolean }): Disposition {
  const disposition = checkDisposition(value, field, { earliest: context.dateOfArrest, latest: context.latest });
  if (disposition.outcome !== 'pending' && !context.reportsDispositions) {
    throw new ConcordError('FORBIDDEN', `a disposition "${disposition.outcome}" is reported by the court, not at booking: an arresting agency may send only "pending"`, { field: `${field}.outcome` });
  }
  return disposition;
}

/**
 * Checks an arrest before it is written: dates that exist and are in order (born after 1900,
 * arrested after birth and not after today, disposed of after the arrest), well-formed charges
 * (at least one) and dispositions, and dispositions only from whoever may report them. Returns
 * the charges and dispositions as they are to be stored.
 */
export function checkArrest(arrest: ArrestFacts, context: { latest: string; reportsDispositions: boolean }): { charges: Charge[]; dispositions: Disposition[] } {
  const dateOfArrest = date(arrest.dateOfArrest, 'dateOfArrest', { earliest: EARLIEST_DATE, latest: context.latest });
  date(arrest.dob, 'dob', { earliest: EARLIEST_DATE, latest: dateOfArrest });
  const charges = list(arrest.charges, 'charges').map((charge, k) => checkCharge(charge, `charges.${k}`));
  if (charges.length === 0) throw invalid('charges', 'needs at least one charge');
  const dispositions = list(arrest.dispositions ?? [], 'dispositions').map((d, k) => checkReportedDisposition(d, `dispositions.${k}`, { ...context, dateOfArrest }));
  return { charges, dispositions };
}
