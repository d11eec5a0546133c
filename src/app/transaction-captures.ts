import { ConcordError } from '../shared/errors.ts';
import { checkFingerprintSize } from '../biometrics/image/fingerprint-size.ts';
import { decodeFingerImages, type FingerImage } from '../formats/ansi-nist/finger-images.ts';
import type { AnsiNistTransaction } from '../formats/ansi-nist/model.ts';
import type { FingerCapture } from './finger-captures.ts';

/** 1-2011 impression codes for rolled captures (live-scan and card), preferred over plain ones. */
const ROLLED_IMPRESSIONS = new Set([1, 3]);

/**
 * One capture per finger position 1–10 of a transaction (slaps are for sequence checks, not for
 * search), rolled first. A record whose image would be no fingerprint's size at 500 ppi is
 * refused from its headers, before its image is decoded.
 */
export function capturesOf(transaction: AnsiNistTransaction): FingerCapture[] {
  const single = decodeFingerImages(
    transaction,
    (s) => s.positions.length === 1 && s.positions[0] >= 1 && s.positions[0] <= 10,
    ({ width, height, ppi }) => checkFingerprintSize(width, height, ppi, {}),
  );
  const byPosition = new Map<number, (typeof single)[number]>();
  for (const finger of single) {
    const position = finger.summary.positions[0];
    const held = byPosition.get(position);
    if (!held || (!ROLLED_IMPRESSIONS.has(held.summary.impression ?? -1) && ROLLED_IMPRESSIONS.has(finger.summary.impression ?? -1))) byPosition.set(position, finger);
  }
  if (byPosition.size === 0) throw new ConcordError('NO_IMAGES', 'the transaction carries no single-finger image (positions 1–10) to search', {});
  // A WSQ image the engine reads as it came (not resampled) is stored as sent: compressing it again would only lose detail.
  const asSent = ({ summary, image }: FingerImage) => ((summary.compression === 'WSQ20' || summary.compression === 'WSQ') && image.width === summary.width && image.height === summary.height ? summary.data : undefined);
  return [...byPosition].map(([position, finger]) => ({ position, label: `record ${finger.summary.record} (finger ${position})`, image: finger.image, wsq: asSent(finger) }));
}
