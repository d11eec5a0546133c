import type { FaceCapture } from '../shared/face-payload.ts';
import type { FingerPayload } from '../shared/fingerprint-payload.ts';
import type { Traveller } from './enrollment-rules.ts';
import type { FaceVerification } from './face-records.ts';

// What the immigration repository is asked and answers over the bus.

export interface EnrollmentRequest {
  tcn: string;
  port: string;
  officer: string;
  ori: string;
  inspectionDate: string;
  traveller: Traveller & {
    name: { family: string; given: string };
    sex?: string;
    document: { type: string; number: string; issuingCountry: string; expiry?: string };
  };
  fingers: FingerPayload[];
  /** Face photo, a normalised JPEG in base64. */
  photo?: string;
  /** The photo's capture checks and face template (absent for a photo taken before faces were checked). */
  face?: FaceCapture;
}

export interface EnrollmentHit {
  /** document_reuse: the travel document is already bound to another person's prints (identity fraud). */
  /** face_mismatch: today's photo matches none of the photos on record under the FIN the prints found. */
  kind: 'identity_conflict' | 'wanted' | 'removed' | 'document_reuse' | 'face_mismatch';
  detail: Record<string, unknown>;
}

export interface EnrollmentResult {
  tcn: string;
  fin?: string;
  decision: 'admit' | 'refer_secondary';
  exemption?: string;
  /** An exempt traveller's prints, sent all the same: searched against wanted persons, then not kept. */
  exemptPrints?: 'checked_against_wanted_not_kept';
  returningTraveller: boolean;
  hits: EnrollmentHit[];
  /** A returning traveller's photo against the photos on record under the FIN (absent: nothing to compare). */
  faceVerification?: FaceVerification;
  admittedUntil?: string;
  encounterId: number;
}

export interface ImmigrationSearchResult {
  match: boolean;
  fin?: string;
  level: 'identified' | 'possible' | 'none';
  summary?: ImmigrationSummary;
}

export interface ImmigrationSummary {
  fin: string;
  names: string[];
  nationality?: string;
  statusClass: string;
  lastEntry?: { date: string; place: string; admissionClass: string; admittedUntil?: string };
  encounters: number;
  flags: string[];
}

export interface ImmigrationHistory {
  fin: string;
  identities: { family: string; given: string; dob: string; nationality: string; document: string }[];
  encounters: { at: string; type: string; place: string; admissionClass: string; decision: string; admittedUntil?: string; exemption?: string }[];
  flags: { kind: string; since: string }[];
  /** Protected content (asylum, 8 U.S.C. 1367, consular notes) never leaves this node; only that it exists. */
  protectedContentExists: boolean;
  /** Face photos on file (fetched one by one, each disclosure audited). */
  photos: number;
}

/** A wanted person's change, announced by the criminal repository, that the watch list follows. */
export interface WantedChanged {
  wantedId: string;
  fbiNumber: string;
  warrantNo: string;
  enteringOri: string;
  offense: string;
  caution: string[];
  status: 'active' | 'cleared' | 'cancelled';
  fingers: FingerPayload[];
}
