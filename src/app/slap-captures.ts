import { checkFingerprintSize } from '../biometrics/image/fingerprint-size.ts';
import { cropImage, type FingerBox, segmentSlap } from '../biometrics/image/segment-slap.ts';
import { decodeFingerImages } from '../formats/ansi-nist/finger-images.ts';
import type { AnsiNistTransaction } from '../formats/ansi-nist/model.ts';
import { SLAP_FINGERS, slapSegments } from '../formats/ansi-nist/slap-segments.ts';
import type { FingerCapture } from './finger-captures.ts';

/**
 * The single fingers of a transaction's plain impressions: the plain thumbs (positions 11, 12) as
 * they are, and the slaps (positions 13, 14 and 15, in any fingerprint record type) each cut out
 * at 500 ppi: by the record's 14.021 SEG where it has one, otherwise by the
 * engine's own segmentation. Each capture's label says which record and which method it came from.
 * A cut too small to be a fingerprint is left out rather than refused: the slap is a second source.
 */
export function slapCaptures(transaction: AnsiNistTransaction): FingerCapture[] {
  const slaps = decodeFingerImages(
    transaction,
    (s) => s.positions.length === 1 && (SLAP_FINGERS[s.positions[0]] !== undefined || PLAIN_THUMBS[s.positions[0]] !== undefined),
    ({ width, height, ppi }) => checkFingerprintSize(width, height, ppi, {}),
  );
  const captures: FingerCapture[] = [];
  for (const { summary, image } of slaps) {
    const slap = summary.positions[0];
    const thumb = PLAIN_THUMBS[slap];
    if (thumb !== undefined) {
      captures.push({ position: thumb, label: `record ${summary.record} (plain thumb, position ${slap})`, image });
      continue;
    }
    const scale = image.width / summary.width;
    const segments = slapSegments(transaction, summary);
    const cuts: { position: number; box: FingerBox }[] = segments
      ? segments.map(({ position, left, right, top, bottom }) => ({ position, box: scaled({ left, right, top, bottom }, scale, image) }))
      : pairWithPositions(segmentSlap(image, SLAP_FINGERS[slap].length), SLAP_FINGERS[slap]);
    const method = segments ? '14.021 SEG' : 'engine segmentation';
    for (const { position, box } of cuts) {
      const finger = cropImage(image, box);
      try {
        checkFingerprintSize(finger.width, finger.height, finger.ppi, {});
      } catch {
        continue;
      }
      captures.push({ position, label: `record ${summary.record} (slap ${slap}, finger ${position}, cut by ${method})`, image: finger });
    }
  }
  return captures;
}

/** The plain thumbs a ten-print card takes beside the four-finger slaps (positions 11, 12) and the thumbs they are. */
const PLAIN_THUMBS: Readonly<Record<number, number>> = { 11: 1, 12: 6 };

/** Engine boxes come left to right; they name fingers only when every finger of the slap was found. */
function pairWithPositions(boxes: FingerBox[], positions: readonly number[]): { position: number; box: FingerBox }[] {
  return boxes.length === positions.length ? boxes.map((box, i) => ({ position: positions[i], box })) : [];
}

function scaled(box: FingerBox, scale: number, image: { width: number; height: number }): FingerBox {
  return {
    left: Math.max(0, Math.floor(box.left * scale)),
    top: Math.max(0, Math.floor(box.top * scale)),
    right: Math.min(image.width, Math.ceil(box.right * scale)),
    bottom: Math.min(image.height, Math.ceil(box.bottom * scale)),
  };
}
