import { ConcordError, within } from '../shared/errors.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import { templatesFromCaptures, type CaptureUse, type FingerCapture } from '../app/finger-captures.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';

/**
 * Turns uploaded finger images (`finger_<position>` parts) into templates, checking each. Every
 * problem names the finger; nothing is stored unless every finger passes.
 */
export async function fingersFromImages(images: { field: string; bytes: Uint8Array }[], use: CaptureUse): Promise<FingerPayload[]> {
  const captures: FingerCapture[] = [];
  const seen = new Set<number>();
  for (const { field, bytes } of images) {
    const match = /^finger_(\d{1,2})$/.exec(field);
    const position = match ? Number(match[1]) : NaN;
    if (!(position >= 1 && position <= 10)) throw new ConcordError('BAD_REQUEST', `part "${field}" is not a finger position (finger_1 … finger_10)`, { part: field });
    if (seen.has(position)) throw new ConcordError('BAD_REQUEST', `finger ${position} was sent twice`, { part: field });
    seen.add(position);
    try {
      captures.push({ position, label: field, image: await readFingerprintImage(bytes, { source: field }) });
    } catch (error) {
      throw within(error, field, { part: field, position });
    }
  }
  return templatesFromCaptures(captures, use);
}
