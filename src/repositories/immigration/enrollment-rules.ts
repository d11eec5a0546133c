import { ConcordError } from '../../shared/errors.ts';
import { EARLIEST_DATE, isCalendarDate } from '../../shared/calendar-date.ts';

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

/**
 * The admission classes a port records (as normalizeClass writes them): the nonimmigrant visa
 * classes, the Visa Waiver and Guam programmes (WB, WT, GB, GT), and the immigrant statuses
 * enrolled since 2009 (permanent residents, immigrant visas, refugees, asylees, parolees).
 */
export const ADMISSION_CLASSES: ReadonlySet<string> = new Set([
  ...EXEMPT_CLASSES,
  ...VISITOR_CLASSES,
  'A3', 'C1', 'C1D', 'C2', 'C4', 'CW1', 'CW2', 'D1', 'D2', 'E1', 'E2', 'E2C', 'E3', 'E3D', 'E3R', 'F1', 'F2', 'F3', 'G5',
  'H1B', 'H1B1', 'H1C', 'H2A', 'H2B', 'H2R', 'H3', 'H4', 'I', 'J1', 'J2', 'K1', 'K2', 'K3', 'K4', 'L1', 'L1A', 'L1B', 'L2',
  'M1', 'M2', 'M3', 'NATO7', 'O1', 'O2', 'O3', 'P1', 'P2', 'P3', 'P4', 'Q1', 'R1', 'R2', 'S5', 'S6', 'S7',
  'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'TN', 'TD', 'U1', 'U2', 'U3', 'U4', 'U5', 'V1', 'V2', 'V3',
  'WB', 'WT', 'GB', 'GT', 'LPR', 'IMMIGRANT', 'REFUGEE', 'ASYLEE', 'PAROLEE',
]);

export function normalizeClass(admissionClass: string): string {
  return admissionClass.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/** Whole years from `dob` to `on` (both YYYY-MM-DD): the 14th birthday itself counts as 14. */
export function ageOn(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function invalid(field: string, message: string): ConcordError {
  return new ConcordError('BAD_REQUEST', `field "${field}" ${message}`, { field });
}

/**
 * Checks what eligibility is decided from, before it is: a date of birth and an inspection date
 * that exist, born after 1900 and not after `latest` (today), inspected after birth and not after
 * today, and a known admission class. Returns the class as it is recorded.
 */
export function checkEnrollment(traveller: Pick<Traveller, 'dob' | 'admissionClass'>, inspectionDate: string, latest: string): string {
  if (!isCalendarDate(traveller.dob)) throw invalid('dob', 'must be a calendar date YYYY-MM-DD');
  if (traveller.dob < EARLIEST_DATE || traveller.dob > latest) throw invalid('dob', `must lie between ${EARLIEST_DATE} and ${latest}`);
  if (!isCalendarDate(inspectionDate)) throw invalid('inspectionDate', 'must be a calendar date YYYY-MM-DD');
  if (inspectionDate < traveller.dob || inspectionDate > latest) throw invalid('inspectionDate', `must lie between the date of birth ${traveller.dob} and ${latest}`);
  const admissionClass = typeof traveller.admissionClass === 'string' ? normalizeClass(traveller.admissionClass) : '';
  if (!ADMISSION_CLASSES.has(admissionClass)) throw invalid('admissionClass', 'must be a known admission class (e.g. B1, B2, F1, H-1B, A-1, G-4, NATO-2, LPR)');
  return admissionClass;
}

/** Whether `traveller` must give biometrics on `inspectionDate`; call checkEnrollment first, so the dates are real. */
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
