/**
 * US-VISIT-style biometric enrollment eligibility (domain brief §6.3): who must give fingerprints
 * at inspection, and the recorded reason when someone need not.
 */
export type ExemptionReason = 'AGE_EXEMPT' | 'CLASS_EXEMPT' | 'CANADIAN_VISITOR_EXEMPT';

export interface Traveller {
  dob: string; // YYYY-MM-DD
  /** Admission or visa class, e.g. B2, F1, A1, G4, NATO2, LPR. */
  admissionClass: string;
  nationality: string; // ISO 3166 alpha-3
  /** A Canadian who needs an I-94 or a waiver is enrolled like anyone else. */
  needsI94OrWaiver?: boolean;
}

export type Eligibility = { required: true } | { required: false; reason: ExemptionReason };

/** Diplomatic and official classes, C-3, G-1 to G-4, NATO-1 to NATO-6. */
const EXEMPT_CLASSES = new Set(['A1', 'A2', 'C3', 'G1', 'G2', 'G3', 'G4', 'NATO1', 'NATO2', 'NATO3', 'NATO4', 'NATO5', 'NATO6']);
const VISITOR_CLASSES = new Set(['B1', 'B2', 'B1B2']);

export function normalizeClass(admissionClass: string): string {
  return admissionClass.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Whole years from `dob` to `on` (both YYYY-MM-DD): the 14th birthday itself counts as 14. */
export function ageOn(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function enrollmentEligibility(traveller: Traveller, inspectionDate: string): Eligibility {
  const age = ageOn(traveller.dob, inspectionDate);
  if (age < 14 || age >= 80) return { required: false, reason: 'AGE_EXEMPT' };
  const admissionClass = normalizeClass(traveller.admissionClass);
  if (EXEMPT_CLASSES.has(admissionClass)) return { required: false, reason: 'CLASS_EXEMPT' };
  if (traveller.nationality.toUpperCase() === 'CAN' && VISITOR_CLASSES.has(admissionClass) && !traveller.needsI94OrWaiver) {
    return { required: false, reason: 'CANADIAN_VISITOR_EXEMPT' };
  }
  return { required: true };
}
