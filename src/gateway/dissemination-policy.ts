import type { AgencyType, Requester, Role } from './access.ts';

/**
 * The dissemination policy of domain brief §6.1 as data: for each kind of requester and purpose,
 * how much of each class of data may be disclosed. Rules are tried in order; the first that
 * matches decides. Anything no rule grants is withheld. Versioned: answers name the version.
 */
export const POLICY_VERSION = '2026-12-05.1';

/** III purpose codes (§6.2). */
export const PURPOSE_CODES = ['A', 'C', 'D', 'F', 'H', 'I', 'J', 'R', 'S', 'V', 'X'] as const;
export type PurposeCode = (typeof PURPOSE_CODES)[number];

export type CriminalGrant = 'full' | 'summary' | 'none';
export type ImmigrationGrant = 'full' | 'idr_summary' | 'none';
/**
 * Stored prints (§6.1's biometrics column): `full` the stored template and image; `match_images`
 * (CBP at the port) the same, to check a match by eye; `match_results` (ICE) the score of a
 * comparison and nothing of the stored print; `none` (state and local agencies) nothing.
 */
export type BiometricGrant = 'full' | 'match_images' | 'match_results' | 'none';

/**
 * Faces: `search_leads` may run a 1:N face search, whose candidates are leads for an examiner and
 * never an identification (criminal-justice purposes only); `verify` has a traveller's photo
 * compared 1:1 with those on record under the FIN the prints found (the port); `none` neither.
 */
export type FaceGrant = 'search_leads' | 'verify' | 'none';

export interface Grant {
  criminalHistory: CriminalGrant;
  wanted: boolean;
  immigration: ImmigrationGrant;
  biometrics: BiometricGrant;
  faces: FaceGrant;
}

interface Rule {
  agencyTypes?: readonly AgencyType[];
  roles?: readonly Role[];
  purposes?: readonly PurposeCode[];
  grant: Grant;
  why: string;
}

const NOTHING: Grant = { criminalHistory: 'none', wanted: false, immigration: 'none', biometrics: 'none', faces: 'none' };

export const POLICY: readonly Rule[] = [
  { roles: ['administrator', 'privacy_officer'], grant: NOTHING, why: 'account and oversight roles read no record content' },
  { purposes: ['R'], agencyTypes: ['local', 'state', 'federal_immigration'], grant: NOTHING, why: 'purpose R is for FBI requests to NFF states only' },
  { agencyTypes: ['federal_immigration'], roles: ['port_officer'], grant: { criminalHistory: 'summary', wanted: true, immigration: 'full', biometrics: 'match_images', faces: 'verify' }, why: 'CBP at the port: wants, serious convictions summary, full immigration' },
  { agencyTypes: ['federal_immigration'], purposes: ['C'], grant: { criminalHistory: 'full', wanted: true, immigration: 'full', biometrics: 'match_results', faces: 'search_leads' }, why: 'ICE, criminal justice purpose' },
  { agencyTypes: ['federal_immigration'], grant: { criminalHistory: 'none', wanted: true, immigration: 'full', biometrics: 'match_results', faces: 'none' }, why: 'ICE, other purposes' },
  { agencyTypes: ['federal_criminal'], purposes: ['C'], grant: { criminalHistory: 'full', wanted: true, immigration: 'idr_summary', biometrics: 'full', faces: 'search_leads' }, why: 'FBI / gateway operators, criminal justice purpose' },
  { agencyTypes: ['federal_criminal'], grant: { criminalHistory: 'full', wanted: true, immigration: 'idr_summary', biometrics: 'full', faces: 'none' }, why: 'FBI / gateway operators' },
  { agencyTypes: ['state', 'local'], purposes: ['C'], grant: { criminalHistory: 'full', wanted: true, immigration: 'idr_summary', biometrics: 'none', faces: 'search_leads' }, why: 'state and local criminal justice: IDR/IAR summary only' },
  { agencyTypes: ['state', 'local'], purposes: ['J', 'I', 'F', 'H', 'S', 'V', 'X', 'D', 'A'], grant: { criminalHistory: 'full', wanted: false, immigration: 'none', biometrics: 'none', faces: 'none' }, why: 'state and local non-criminal purposes: history as the purpose allows, no immigration data' },
];

/** Booking photos go with the full criminal history to criminal-justice searches (those whose grant may search faces): a mugshot belongs to the arrest record, and a non-criminal check has no use for a face. */
export function releasesBookingPhoto(grant: Pick<Grant, 'criminalHistory' | 'faces'>): boolean {
  return grant.criminalHistory === 'full' && grant.faces === 'search_leads';
}

export function grantFor(requester: Pick<Requester, 'agencyType' | 'role'>, purpose: PurposeCode): Grant & { why: string } {
  for (const rule of POLICY) {
    if (rule.agencyTypes && !rule.agencyTypes.includes(requester.agencyType)) continue;
    if (rule.roles && !rule.roles.includes(requester.role)) continue;
    if (rule.purposes && !rule.purposes.includes(purpose)) continue;
    return { ...rule.grant, why: rule.why };
  }
  return { ...NOTHING, why: 'no rule grants this requester and purpose anything' };
}

/** Whether a grant lets the criminal repository answer at all: with history, or with wanted status alone. */
export function opensCriminal(grant: Grant): boolean {
  return grant.criminalHistory !== 'none' || grant.wanted;
}

/** Whether a grant releases anything at all: one that releases nothing is a refusal, never an empty answer. */
export function releasesAnything(grant: Grant): boolean {
  return opensCriminal(grant) || opensImmigration(grant) || grant.biometrics !== 'none';
}

/** Whether a grant lets the immigration repository answer at all. */
export function opensImmigration(grant: Grant): boolean {
  return grant.immigration !== 'none';
}

export function isPurposeCode(value: unknown): value is PurposeCode {
  return typeof value === 'string' && (PURPOSE_CODES as readonly string[]).includes(value);
}
