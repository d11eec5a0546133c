import { ConcordError } from '../../shared/errors.ts';
import { buildTransaction, type FieldInput, taggedRecord } from '../ansi-nist/build-records.ts';
import { faceRecord, type FaceRecordInput } from '../ansi-nist/face-records.ts';
import type { AnsiNistTransaction, TaggedRecord } from '../ansi-nist/model.ts';
import { formatDate, formatGmt } from './ebts-dates.ts';
import type { SubjectDescription, SubmissionTot } from './submission.ts';
import { REPEATED_SUBJECT_FIELDS, SUBJECT_FIELDS, type SubjectFieldName } from './type2-fields.ts';

/** The FBI CJIS Division's ORI, the default destination of a submission. */
export const FBI_CJIS_ORI = 'WVIAFIS0Z';

export interface SubmissionRequest {
  readonly tot: SubmissionTot;
  /** The submitting agency (1.008 ORI). */
  readonly ori: string;
  /** The destination (1.007 DAI); the FBI's by default. */
  readonly dai?: string;
  readonly tcn: string;
  readonly at: Date;
  readonly priority?: number;
  readonly subject?: SubjectDescription;
}

/** One finger image, already compressed (or raw) by the caller. */
export interface SubmissionFinger {
  readonly position: number;
  /** IMP; by default rolled for positions 1-10 of a ten-print, plain otherwise. */
  readonly impression?: number;
  readonly width: number;
  readonly height: number;
  readonly ppi: number;
  readonly compression: 'NONE' | 'WSQ20' | 'JP2' | 'JP2L';
  readonly data: Uint8Array;
}

const LIVE_SCAN_PLAIN = 0;
const LIVE_SCAN_ROLLED = 1;
const PIXELS_PER_INCH = 1; // 14.008 SLC

/**
 * Builds an EBTS submission: a Type-1, a Type-2 describing the subject, one Type-14 per
 * finger image (IDC 01, 02, ...) and one Type-10 per face photo (IDCs following the fingers'). Validation is separate (validateEbtsSubmission), so a caller
 * can also build a deliberately defective file for testing a receiver.
 */
export function buildSubmission(request: SubmissionRequest, fingers: readonly SubmissionFinger[], faces: readonly FaceRecordInput[] = []): AnsiNistTransaction {
  const date = formatDate(request.at);
  const resolution = fingers.length > 0 ? '19.69' : '00.00'; // 500 ppi in pixels per millimetre
  const type1 = {
    2: '0502',
    4: request.tot,
    5: date,
    6: request.priority === undefined ? undefined : String(request.priority),
    7: request.dai ?? FBI_CJIS_ORI,
    8: request.ori,
    9: request.tcn,
    11: resolution,
    12: resolution,
    14: formatGmt(request.at),
  };
  const images = fingers.map((finger, i) => fingerRecord(finger, i + 1, request, date));
  const photos = faces.map((face, i) => faceRecord(face, fingers.length + i + 1));
  return buildTransaction(type1, [subjectRecord(request.subject ?? {}), ...images, ...photos]);
}

function subjectRecord(subject: SubjectDescription): TaggedRecord {
  const values: Record<number, FieldInput> = { 2: '00' };
  for (const [name, value] of Object.entries(subject) as [SubjectFieldName, string | string[] | undefined][]) {
    const number = SUBJECT_FIELDS[name];
    if (number === undefined) {
      throw new ConcordError('BAD_ARGUMENT', `unknown subject field "${name}"; known: ${Object.keys(SUBJECT_FIELDS).join(', ')}`, { field: name });
    }
    if (value === undefined) continue;
    const list = Array.isArray(value) ? value : [value];
    values[number] = REPEATED_SUBJECT_FIELDS.has(name) ? list.map((item) => [item]) : list.join(' ');
  }
  return taggedRecord(2, values);
}

function fingerRecord(finger: SubmissionFinger, idc: number, request: SubmissionRequest, date: string): TaggedRecord {
  const rolled = request.tot !== 'RPIS' && finger.position >= 1 && finger.position <= 10;
  const ppi = String(Math.round(finger.ppi));
  return taggedRecord(14, {
    2: String(idc).padStart(2, '0'),
    3: String(finger.impression ?? (rolled ? LIVE_SCAN_ROLLED : LIVE_SCAN_PLAIN)),
    4: request.ori,
    5: date,
    6: String(finger.width),
    7: String(finger.height),
    8: String(PIXELS_PER_INCH),
    9: ppi,
    10: ppi,
    11: finger.compression,
    12: '8',
    13: String(finger.position),
    999: finger.data,
  });
}
