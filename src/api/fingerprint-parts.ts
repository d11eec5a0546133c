import { ConcordError } from '../shared/errors.ts';
import type { CaptureUse } from '../app/finger-captures.ts';
import { templateFromImage, templatesFromImages } from '../app/capture-pool.ts';
import type { SingleFinger } from '../app/capture-jobs.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';

/**
 * Turns uploaded finger images (`finger_<position>` parts) into templates, checking each. Every
 * problem names the finger; nothing is stored unless every finger passes. The images are decoded
 * and extracted on a worker thread.
 */
export async function fingersFromImages(images: { field: string; bytes: Uint8Array }[], use: CaptureUse): Promise<FingerPayload[]> {
  const seen = new Set<number>();
  const positioned = images.map(({ field, bytes }) => {
    const position = fingerPosition(field);
    if (position === undefined) throw new ConcordError('BAD_REQUEST', `part "${field}" is not a finger position (finger_1 … finger_10)`, { part: field });
    if (seen.has(position)) throw new ConcordError('BAD_REQUEST', `finger ${position} was sent twice`, { part: field });
    seen.add(position);
    return { field, position, bytes };
  });
  return templatesFromImages(positioned, use);
}

/**
 * The one finger image of an examiner's request: its template, and the image as the engine saw
 * it (500 ppi gray) as a PNG data URL, since browsers show neither WSQ nor most TIFFs.
 */
export async function singleFinger(images: { field: string; bytes: Uint8Array }[]): Promise<SingleFinger> {
  if (images.length !== 1) throw new ConcordError('BAD_REQUEST', 'send exactly one finger image part', { parts: images.length });
  return templateFromImage(images[0].field, images[0].bytes);
}

/** The finger position (1–10) a part named `finger_<position>` carries; undefined for any other name. */
export function fingerPosition(field: string): number | undefined {
  const match = /^finger_(\d{1,2})$/.exec(field);
  const position = match ? Number(match[1]) : NaN;
  return position >= 1 && position <= 10 ? position : undefined;
}
