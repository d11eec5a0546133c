import { ConcordError, isConcordError, within } from '../shared/errors.ts';
import type { GrayImage } from '../biometrics/gray-image.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
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
  /** The capture as its sender already WSQ-compressed it at 500 ppi: kept as it is, not compressed a second time. */
  readonly wsq?: Uint8Array;
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
export function templatesFromCaptures(captures: readonly FingerCapture[], use: CaptureUse, options: CaptureOptions = {}): FingerPayload[] {
  const extract = ({ position, label, image }: FingerCapture) => {
    try {
      return extractTemplate(image);
    } catch (error) {
      throw within(error, label, { finger: label, position });
    }
  };
  // A print with no usable ridge area failed quality as surely as a low score: it too may give way below.
  const attempt = (capture: FingerCapture): FingerprintTemplate | { failure: unknown } => {
    try {
      return extract(capture);
    } catch (error) {
      if (isConcordError(error, 'NO_RIDGE_AREA')) return { failure: error };
      throw error;
    }
  };
  const attempts = captures.map(attempt);
  const templates: FingerprintTemplate[] = [];
  // A capture below the quality bar gives way to a second capture of the same finger (a slap's) that does better.
  captures = captures.map((capture, k) => {
    let best = attempts[k];
    const poor = !('quality' in best) || best.quality < MIN_QUALITY;
    for (const alternative of poor ? (options.alternatives ?? []) : []) {
      if (alternative.position !== capture.position) continue;
      const template = attempt(alternative);
      // A cut the extractor cannot use is only a second source that failed: the first one stands.
      if (!('quality' in template)) continue;
      if (!('quality' in best) || template.quality > best.quality) {
        best = template;
        capture = alternative;
      }
    }
    if (!('quality' in best)) throw best.failure;
    templates[k] = best;
    return capture;
  });
  options.chosen?.(captures);
  if (options.checkQuality !== false) checkQuality(captures.map((c, k) => ({ position: c.position, quality: templates[k].quality })));
  // Compressed only once every finger has passed: a retake wastes no encoding.
  const fingers = captures.map(({ position, image, wsq }, k) => toFingerPayload(position, templates[k], use === 'retained' ? (wsq ?? encodeWsq(image, { ppi: image.ppi })) : undefined));
  return fingers.sort((a, b) => a.position - b.position);
}

export interface CaptureOptions {
  /** Skipped for a share of a request's fingers: the caller checks them all together. */
  readonly checkQuality?: boolean;
  /** Other captures of the same fingers, tried for a finger whose capture is below MIN_QUALITY. */
  readonly alternatives?: readonly FingerCapture[];
  /** Told which capture of each finger was used, in the order given. */
  readonly chosen?: (captures: readonly FingerCapture[]) => void;
}

/** Refuses fingers below MIN_QUALITY, all of them in one error so that one retake fixes them all. */
export function checkQuality(fingers: readonly { position: number; quality: number }[]): void {
  const lowQuality = fingers.flatMap((f) => (f.quality < MIN_QUALITY ? [`finger ${f.position} (quality ${f.quality})`] : []));
  if (lowQuality.length > 0) {
    throw new ConcordError('LOW_QUALITY', `retake needed: ${lowQuality.join(', ')} below ${MIN_QUALITY}`, { fingers: lowQuality.join('; ') });
  }
}
