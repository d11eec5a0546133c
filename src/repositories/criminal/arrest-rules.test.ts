import { describe, expect, it } from 'vitest';
import { checkArrest, checkCharge, checkDisposition } from './arrest-rules.ts';
import { isConcordError } from '../../shared/errors.ts';

const latest = '2026-12-05';
const arrest = (overrides: Record<string, unknown> = {}) => ({
  dob: '1990-01-01',
  dateOfArrest: '2026-12-01',
  charges: [{ literal: 'THEFT', severity: 'misdemeanor', ncicOffenseCode: '2399', level: 3 }],
  ...overrides,
});

function refusal(run: () => unknown): { code: string; field: unknown } {
  try {
    run();
  } catch (error) {
    if (isConcordError(error)) return { code: error.code, field: error.where.field };
    throw error;
  }
  throw new Error('accepted');
}

describe('arrest rules (domain brief §4.2)', () => {
  it('accepts a well-formed arrest and keeps only the known fields of its charges and dispositions', () => {
    const checked = checkArrest(
      arrest({
        charges: [{ literal: 'THEFT', severity: 'misdemeanor', extra: 'dropped' }],
        dispositions: [{ court: 'Dallas County Court', date: '2026-12-02', outcome: 'pending', note: 'dropped' }],
      }),
      { latest, reportsDispositions: false },
    );
    expect(checked).toEqual({
      charges: [{ literal: 'THEFT', severity: 'misdemeanor' }],
      dispositions: [{ court: 'Dallas County Court', date: '2026-12-02', outcome: 'pending' }],
    });
  });

  it('refuses a null disposition, an unknown outcome and a date that is not a date, naming the field', () => {
    const context = { latest, reportsDispositions: true };
    expect(refusal(() => checkArrest(arrest({ dispositions: [null] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0' });
    expect(refusal(() => checkArrest(arrest({ dispositions: [{ court: 'C', date: '2026-12-02', outcome: 'guilty-ish' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0.outcome' });
    expect(refusal(() => checkArrest(arrest({ dispositions: [{ outcome: 'convicted', court: 'anything', date: 'not-a-date' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0.date' });
    expect(refusal(() => checkArrest(arrest({ dispositions: [{ outcome: 'convicted', court: 'C', date: '2026-02-30' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0.date' });
    expect(refusal(() => checkArrest(arrest({ dispositions: [{ outcome: 'convicted', court: 'C', date: '2026-11-30' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0.date' }); // before the arrest
    expect(refusal(() => checkArrest(arrest({ dispositions: [{ outcome: 'convicted', court: '', date: '2026-12-02' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0.court' });
    expect(refusal(() => checkArrest(arrest({ dispositions: 'convicted' }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions' });
  });

  it('refuses malformed charges: severity, level, NCIC code, control characters, none at all', () => {
    const context = { latest, reportsDispositions: false };
    expect(refusal(() => checkArrest(arrest({ charges: [{ literal: 'THEFT', severity: 'capital' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges.0.severity' });
    expect(refusal(() => checkArrest(arrest({ charges: [{ literal: 'THEFT', severity: 'felony', level: 4 }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges.0.level' });
    expect(refusal(() => checkArrest(arrest({ charges: [{ literal: 'THEFT', severity: 'felony', ncicOffenseCode: '23X' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges.0.ncicOffenseCode' });
    expect(refusal(() => checkArrest(arrest({ charges: [{ literal: 'THEFT\u0000X', severity: 'felony' }] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges.0.literal' });
    expect(refusal(() => checkArrest(arrest({ charges: [] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges' });
    expect(refusal(() => checkArrest(arrest({ charges: [null] }), context))).toEqual({ code: 'BAD_REQUEST', field: 'charges.0' });
  });

  it('refuses impossible dates of birth and arrest', () => {
    const context = { latest, reportsDispositions: false };
    expect(refusal(() => checkArrest(arrest({ dob: '2099-01-01' }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dob' });
    expect(refusal(() => checkArrest(arrest({ dob: '1899-12-31' }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dob' });
    expect(refusal(() => checkArrest(arrest({ dateOfArrest: '2027-01-01' }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dateOfArrest' });
    expect(refusal(() => checkArrest(arrest({ dateOfArrest: '1989-12-31' }), context))).toEqual({ code: 'BAD_REQUEST', field: 'dob' }); // born after the arrest
  });

  it('lets an arresting agency send only pending dispositions; a submitter who reports dispositions sends any outcome', () => {
    const convicted = { court: 'Dallas County Court', date: '2026-12-03', outcome: 'convicted', sentence: '2 years probation' };
    expect(refusal(() => checkArrest(arrest({ dispositions: [convicted] }), { latest, reportsDispositions: false }))).toEqual({ code: 'FORBIDDEN', field: 'dispositions.0.outcome' });
    expect(checkArrest(arrest({ dispositions: [convicted] }), { latest, reportsDispositions: true }).dispositions).toEqual([convicted]);
  });

  it('checks single values the same way, for rows read back', () => {
    expect(checkCharge({ literal: 'BURGLARY', severity: 'felony', level: 2 }, 'c')).toEqual({ literal: 'BURGLARY', severity: 'felony', level: 2 });
    expect(refusal(() => checkDisposition(null, 'dispositions.0', { earliest: '1900-01-01', latest: '9999-12-31' }))).toEqual({ code: 'BAD_REQUEST', field: 'dispositions.0' });
  });
});
