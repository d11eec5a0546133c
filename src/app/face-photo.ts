import { captureRefusal, failedChecks, type CaptureCheck } from '../biometrics/face/capture-checks.ts';
import { encodeFaceTemplate } from '../biometrics/face/face-template.ts';
import { analyzeFace } from '../infra/faces/analyze-face.ts';
import { faceRecordLocation, faceRecordPhoto } from '../infra/faces/face-record-photo.ts';
import { frontalFaceOf } from '../formats/ansi-nist/face-records.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { within } from '../shared/errors.ts';
import { normalizePhoto } from '../infra/images/normalize-photo.ts';
import type { FaceCapture } from '../repositories/shared/face-payload.ts';

/** A face photo as the capture pool returns it: checks, the template of its one face, the photo to store. */
export interface AnalysedPhoto {
  readonly checks: readonly CaptureCheck[];
  readonly faces: number;
  /** The encoded face template, when the photo holds exactly one face. */
  readonly template?: Uint8Array;
  /** The photo re-encoded without metadata (normalize-photo.ts). */
  readonly photo: Uint8Array;
}

export async function analysePhoto(bytes: Uint8Array, source: string): Promise<AnalysedPhoto> {
  const analysis = await analyzeFace(bytes, source);
  return { checks: analysis.checks, faces: analysis.faces, template: analysis.template && encodeFaceTemplate(analysis.template), photo: await normalizePhoto(bytes, source) };
}

/** A transaction's face photo, analysed, and where it sits in the transaction (for refusals). */
export interface AnalysedRecordPhoto extends AnalysedPhoto {
  readonly source: string;
  readonly where: Record<string, string | number>;
}

/**
 * The frontal face of an ANSI/NIST transaction (a Type-10 record), analysed as a photo sent on its
 * own would be; null when the transaction carries none. Every refusal names the record and field.
 */
export async function analyseTransactionFace(bytes: Uint8Array): Promise<AnalysedRecordPhoto | null> {
  const face = frontalFaceOf(readTransaction(bytes));
  if (!face) return null;
  const { label, where } = faceRecordLocation(face);
  try {
    return { ...(await analysePhoto(await faceRecordPhoto(face), label)), source: label, where };
  } catch (error) {
    // The reader's refusals name the photo by its label already; the location is added to `where`.
    throw within(error, undefined, where);
  }
}

/**
 * The officer's decision on a photo's checks: a photo that passes is taken; one that fails is
 * refused with every failed check and value, unless the officer accepts it with a reason (which
 * the enrollment audits). `where` names the transaction in the refusal, for its audit record.
 */
export function acceptPhoto(analysed: AnalysedPhoto, override: string | undefined, where: { tcn?: string; source?: string } = {}): { photo: string; face: FaceCapture } {
  const failed = failedChecks(analysed.checks);
  if (failed.length > 0 && !override) throw captureRefusal(analysed.checks, where.source, where.tcn ? { tcn: where.tcn } : {});
  return {
    photo: Buffer.from(analysed.photo).toString('base64'),
    face: {
      template: analysed.template && Buffer.from(analysed.template).toString('base64'),
      checks: analysed.checks,
      override: failed.length > 0 && override ? { reason: override, failed: failed.map((c) => c.check) } : undefined,
    },
  };
}
