import { ENGINE_PPI, type GrayImage } from '../../biometrics/gray-image.ts';
import { resampleToPpi } from '../../biometrics/image/resample.ts';
import { decodeImageRecord, type ImageGeometry, type ImageSummary, summarizeImages } from './image-records.ts';
import type { AnsiNistTransaction } from './model.ts';

export interface FingerImage {
  readonly summary: ImageSummary;
  /** The decoded image, resampled to the engine's 500 ppi. */
  readonly image: GrayImage;
}

const FINGER_RECORD_TYPES = new Set([3, 4, 5, 6, 13, 14]);

/**
 * Decodes every friction-ridge record (Types 3–6, 13, 14) of a transaction into engine-ready
 * images. Records scanned at another resolution (1000 ppi Type-14, latents) are resampled so
 * that ridge spacing matches what the extractor expects. `select` skips records before decoding;
 * `accept` may refuse a selected record by its size and resolution, also before decoding.
 */
export function decodeFingerImages(
  transaction: AnsiNistTransaction,
  select: (summary: ImageSummary) => boolean = () => true,
  accept?: (geometry: ImageGeometry) => void,
): FingerImage[] {
  return summarizeImages(transaction)
    .filter((summary) => FINGER_RECORD_TYPES.has(summary.type) && select(summary))
    .map((summary) => ({ summary, image: resampleToPpi(decodeImageRecord(transaction, summary.record, accept), ENGINE_PPI) }));
}
