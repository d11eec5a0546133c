import { ConcordError } from '../shared/errors.ts';
import type { GrayImage } from '../biometrics/gray-image.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { toFingerPayload, type FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { encodeWsq } from '../formats/wsq/index.ts';

/** Concord refuses captures below this impression quality and asks for a retake (§8.5). */
export const MIN_QUALITY = 20;

/** One finger as captured: its position (1–10), a label for errors, and its decoded image. */
export interface FingerCapture {
  readonly position: number;
  /** Where the finger came from: a multipart part name, a record of a transaction. */
  readonly label: string;
  readonly image: GrayImage;
}

/**
 * What happens to the captures: `retained` ones (enrollment, booking) also travel as WSQ images
 * (0.75 bpp), which the repositories keep for examiners; search probes (rapid identification,
 * TPIS) are never stored, so they are not compressed either.
 */
export type CaptureUse = 'retained' | 'search';

/**
 * Extracts a template from every capture and checks its quality, whatever the captures came in
 * (multipart images, an EBTS transaction). Every problem names the finger; low-quality fingers
 * are reported together so one retake fixes them all.
 */
export function templatesFromCaptures(captures: readonly FingerCapture[], use: CaptureUse): FingerPayload[] {
  const fingers: FingerPayload[] = [];
  const lowQuality: string[] = [];
  for (const { position, label, image } of captures) {
    let template;
    try {
      template = extractTemplate(image);
    } catch (error) {
      if (error instanceof ConcordError) throw new ConcordError(error.code, `${label}: ${error.message}`, { ...error.where, finger: label, position });
      throw error;
    }
    if (template.quality < MIN_QUALITY) lowQuality.push(`finger ${position} (quality ${template.quality})`);
    fingers.push(toFingerPayload(position, template, use === 'retained' ? encodeWsq(image, { ppi: image.ppi }) : undefined));
  }
  if (lowQuality.length > 0) {
    throw new ConcordError('LOW_QUALITY', `retake needed: ${lowQuality.join(', ')} below ${MIN_QUALITY}`, { fingers: lowQuality.join('; ') });
  }
  return fingers.sort((a, b) => a.position - b.position);
}
