import sharp from 'sharp';
import { captureRefusal } from '../biometrics/face/capture-checks.ts';
import type { FaceRecordInput } from '../formats/ansi-nist/face-records.ts';
import { formatDate } from '../formats/ebts/ebts-dates.ts';
import { mayPerform, type Requester } from '../gateway/access.ts';
import { grantFor, type PurposeCode } from '../gateway/dissemination-policy.ts';
import type { Gateway, IdentifyAnswer } from '../gateway/gateway.ts';
import { within } from '../shared/errors.ts';
import { acceptPhoto, type AnalysedRecordPhoto } from './face-photo.ts';

/**
 * The faces of EBTS exchange: a submission's Type-10 face is taken as a photo sent with the JSON
 * API would be, and an answer carries the subject's photo on record in a Type-10 where the
 * requester's grant releases photos.
 */

/**
 * A booking's photo: it must pass the capture checks (a transaction has no field for an officer's
 * override), else it is refused with every failed check, its record and its field.
 */
export function bookingPhoto(analysed: AnalysedRecordPhoto | null, tcn: string): ReturnType<typeof acceptPhoto> | undefined {
  if (!analysed) return undefined;
  try {
    return acceptPhoto(analysed, undefined, { tcn, source: analysed.source });
  } catch (error) {
    throw within(error, undefined, analysed.where);
  }
}

/** A search's probe face: only one face can be searched; its other checks inform, as with a photo sent to /v1/identify. */
export function searchFace(analysed: AnalysedRecordPhoto | null): string | undefined {
  if (!analysed) return undefined;
  if (!analysed.template) throw within(captureRefusal(analysed.checks, analysed.source), undefined, analysed.where);
  return Buffer.from(analysed.template).toString('base64');
}

/** Face leads, said to be leads, as 2.060 MSG lines. */
export function faceLeadMessages(answer: IdentifyAnswer): string[] {
  if (!answer.faceLeads) return [];
  const leads = answer.faceLeads.candidates.map((c) => `FACE LEAD ${c.subject} (distance ${c.distance.toFixed(3)})`);
  return [`FACE LEADS, NOT AN IDENTIFICATION: ${answer.faceLeads.notice}`, ...(leads.length > 0 ? leads : ['FACE LEADS: none'])];
}

/**
 * The photo on record of a traveller the answer names, as a Type-10, when the requester's grant
 * for the purpose releases photos (a full immigration grant); the disclosure is audited by the
 * gateway. Nothing is asked, and no refusal audited, for a requester whose grant releases none.
 */
export async function photoOnRecord(gateway: Gateway, requester: Requester, purpose: PurposeCode, fin: string | undefined, source: string, at: Date): Promise<FaceRecordInput | undefined> {
  if (!fin || !mayPerform(requester, 'history') || grantFor(requester, purpose).immigration !== 'full') return undefined;
  let jpeg: Uint8Array;
  try {
    jpeg = await gateway.photo(requester, fin, purpose);
  } catch (error) {
    // A traveller with no photo on record: the answer goes without one.
    if ((error as { code?: string }).code === 'SUBJECT_NOT_FOUND') return undefined;
    throw error;
  }
  const { width = 0, height = 0, channels } = await sharp(jpeg).metadata();
  return { width, height, compression: 'JPEGB', colourSpace: channels === 1 ? 'GRAY' : 'SRGB', source, date: formatDate(at), data: jpeg };
}
