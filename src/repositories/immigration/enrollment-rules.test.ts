import { describe, expect, it } from 'vitest';
import { ageOn, checkEnrollment, enrollmentEligibility } from './enrollment-rules.ts';
import { isConcordError } from '../../shared/errors.ts';

const today = '2026-11-25';
const visitor = { dob: '1996-03-10', admissionClass: 'B2', nationality: 'FRA' };

describe('enrollment eligibility (US-VISIT rules)', () => {
  it('requires biometrics from a 30-year-old B-2 visitor', () => {
    expect(enrollmentEligibility(visitor, today)).toEqual({ required: true });
  });

  it('enrolls on the 14th birthday and exempts on the 80th', () => {
    expect(ageOn('2012-11-25', today)).toBe(14);
    expect(enrollmentEligibility({ ...visitor, dob: '2012-11-25' }, today)).toEqual({ required: true });
    expect(enrollmentEligibility({ ...visitor, dob: '2012-11-26' }, today)).toEqual({ required: false, reason: 'AGE_EXEMPT' });
    expect(enrollmentEligibility({ ...visitor, dob: '1946-11-25' }, today)).toEqual({ required: false, reason: 'AGE_EXEMPT' });
    expect(enrollmentEligibility({ ...visitor, dob: '1946-11-26' }, today)).toEqual({ required: true });
  });

  it('exempts A-1, G-4 and NATO-2 holders', () => {
    for (const admissionClass of ['A-1', 'G-4', 'NATO-2']) {
      expect(enrollmentEligibility({ ...visitor, admissionClass }, today)).toEqual({ required: false, reason: 'CLASS_EXEMPT' });
    }
  });

  it('exempts a Canadian B-2 visitor, but enrolls one needing an I-94, and enrolls permanent residents', () => {
    const canadian = { ...visitor, nationality: 'CAN' };
    expect(enrollmentEligibility(canadian, today)).toEqual({ required: false, reason: 'CANADIAN_VISITOR_EXEMPT' });
    expect(enrollmentEligibility({ ...canadian, needsI94OrWaiver: true }, today)).toEqual({ required: true });
    expect(enrollmentEligibility({ ...visitor, admissionClass: 'LPR' }, today)).toEqual({ required: true });
  });

  it('decides only from real dates and known classes: each impossible value is a BAD_REQUEST naming its field (F19)', () => {
    const latest = '2026-11-26';
    const field = (traveller: { dob: string; admissionClass: string }, inspectionDate = today) => {
      try {
        checkEnrollment(traveller, inspectionDate, latest);
      } catch (error) {
        if (isConcordError(error, 'BAD_REQUEST')) return error.where.field;
        throw error;
      }
      return 'accepted';
    };
    expect(field(visitor)).toBe('accepted');
    expect(checkEnrollment({ ...visitor, admissionClass: 'h-1b' }, today, latest)).toBe('H1B');
    expect(field({ ...visitor, dob: '2099-01-01' })).toBe('dob'); // born in the future
    expect(field({ ...visitor, dob: '2026-11-26' })).toBe('inspectionDate'); // inspected before birth
    expect(field({ ...visitor, dob: '1899-12-31' })).toBe('dob');
    expect(field({ ...visitor, dob: '1990-02-30' })).toBe('dob'); // not a calendar date
    expect(field({ ...visitor, dob: 'yesterday' })).toBe('dob');
    expect(field(visitor, '1900-01-01')).toBe('inspectionDate'); // inspected before being born
    expect(field(visitor, '2026-11-28')).toBe('inspectionDate'); // in the future
    expect(field(visitor, '2026-13-01')).toBe('inspectionDate');
    expect(field({ ...visitor, admissionClass: 'Z'.repeat(300) })).toBe('admissionClass');
    expect(field({ ...visitor, admissionClass: 'XYZ' })).toBe('admissionClass');
    for (const admissionClass of ['A-1', 'G-4', 'NATO-2', 'B1/B2', 'F-1', 'LPR']) expect(field({ ...visitor, admissionClass })).toBe('accepted');
  });
});
