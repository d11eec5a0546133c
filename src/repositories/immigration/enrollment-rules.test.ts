import { describe, expect, it } from 'vitest';
import { ageOn, enrollmentEligibility } from './enrollment-rules.ts';

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
});
