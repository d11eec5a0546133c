import { ConcordError } from '../shared/errors.ts';
import { checkFingerprintSize } from '../biometrics/image/fingerprint-size.ts';
import { decodeFingerImages, type FingerImage } from '../formats/ansi-nist/finger-images.ts';
import type { AnsiNistTransaction } from '../formats/ansi-nist/model.ts';
import type { FingerCapture } from './finger-captures.ts';
import { slapCaptures } from './slap-captures.ts';

/** 1-2011 impression codes for rolled captures (live-scan and card), preferred over plain ones. */
const ROLLED_IMPRESSIONS = new Set([1, 3]);

/** The captures to search with, and the slap fingers that may stand in for a poor one. */
export interface TransactionCaptures {
  readonly captures: FingerCapture[];
  /** Fingers cut from slaps at positions a single-finger record already gives. */
  readonly alternatives: FingerCapture[];
}

/**
 * One capture per finger position 1–10 of a transaction, rolled first, then plain; a position no
 * single-finger record gives is taken from the slaps. A record whose image would be no
 * fingerprint's size at 500 ppi is refused from its headers, before its image is decoded.
 */
export function capturesOf(transaction: AnsiNistTransaction): TransactionCaptures {
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
  // A WSQ image the engine reads as it came (not resampled) is stored as sent: compressing it again would only lose detail.
  const asSent = ({ summary, image }: FingerImage) => ((summary.compression === 'WSQ20' || summary.compression === 'WSQ') && image.width === summary.width && image.height === summary.height ? summary.data : undefined);
  const captures: FingerCapture[] = [...byPosition].map(([position, finger]) => ({ position, label: `record ${finger.summary.record} (finger ${position})`, image: finger.image, wsq: asSent(finger) }));
  const alternatives: FingerCapture[] = [];
  for (const cut of slapCaptures(transaction)) {
    if (captures.some((capture) => capture.position === cut.position)) alternatives.push(cut);
    else captures.push(cut);
  }
  if (captures.length === 0) throw new ConcordError('NO_IMAGES', 'the transaction carries no finger image (positions 1–10, or slaps 13–15) to search', {});
  return { captures, alternatives };
}
