import { taggedRecord } from './build-records.ts';
import { summarizeImage } from './image-records.ts';
import { type AnsiNistTransaction, fieldText, type TaggedRecord } from './model.ts';

/** A face a Type-10 record carries (10.003 IMT FACE), as its fields describe it, not decoded. */
export interface FaceRecord {
  /** 1-based position of the record in the transaction. */
  readonly record: number;
  readonly idc: number;
  /** 10.006 HLL and 10.007 VLL. */
  readonly width: number;
  readonly height: number;
  /** 10.011 CGA: JPEGB, JPEGL, JP2, JP2L, PNG or NONE. */
  readonly compression: string;
  /** 10.020 POS: F frontal, R/L profile, A angled, D determined by 10.025; empty when not stated. */
  readonly pose: string;
  readonly data: Uint8Array;
}

/** Every face record of a transaction, in file order (Type-10 also carries scars, marks and tattoos). */
export function faceRecordsOf(transaction: AnsiNistTransaction): FaceRecord[] {
  const faces: FaceRecord[] = [];
  transaction.records.forEach((record, i) => {
    if (record.type !== 10 || record.kind !== 'tagged') return;
    if ((fieldText(record, 3) ?? '').trim().toUpperCase() !== 'FACE') return;
    const summary = summarizeImage(transaction, i + 1);
    faces.push({ record: i + 1, idc: summary.idc, width: summary.width, height: summary.height, compression: summary.compression, pose: (fieldText(record, 20) ?? '').trim().toUpperCase(), data: summary.data });
  });
  return faces;
}

/**
 * The face a portrait check and a face template are made from: the first frontal one (a booking
 * may add profiles), or the first face when no record states its pose.
 */
export function frontalFaceOf(transaction: AnsiNistTransaction): FaceRecord | undefined {
  const faces = faceRecordsOf(transaction);
  return faces.find((face) => face.pose === 'F') ?? faces.find((face) => face.pose === '');
}

/** A face photo for a Type-10 record, already compressed by the caller. */
export interface FaceRecordInput {
  readonly width: number;
  readonly height: number;
  readonly compression: 'JPEGB' | 'JP2' | 'JP2L' | 'PNG';
  /** 10.012 CSP: the photo's colour space. */
  readonly colourSpace: 'GRAY' | 'SRGB' | 'RGB';
  /** 10.004 SRC: the agency that took the photo. */
  readonly source: string;
  /** 10.005 PHD, CCYYMMDD. */
  readonly date: string;
  readonly data: Uint8Array;
}

/**
 * A Type-10 face record: frontal (10.020 POS F), with no stated resolution (10.008 SLC 0: the
 * pixels' aspect ratio, 1:1) and the subject acquisition profile 1 (10.013 SAP: unknown), since
 * Concord cannot vouch for how a photo it received was taken.
 */
export function faceRecord(face: FaceRecordInput, idc: number): TaggedRecord {
  return taggedRecord(10, {
    2: String(idc).padStart(2, '0'),
    3: 'FACE',
    4: face.source,
    5: face.date,
    6: String(face.width),
    7: String(face.height),
    8: '0',
    9: '1',
    10: '1',
    11: face.compression,
    12: face.colourSpace,
    13: '1',
    20: 'F',
    999: face.data,
  });
}
