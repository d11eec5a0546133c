import { ConcordError } from '../../shared/errors.ts';
import { ENGINE_PPI } from '../gray-image.ts';
import { resampledSize } from './resample.ts';

/** Sides, in pixels at the engine's 500 ppi, between which an image can be a fingerprint. */
export const MIN_SIDE = 150;
export const MAX_SIDE = 2000;

/**
 * Refuses an image whose size at 500 ppi is no fingerprint's. Called with what a file's header
 * declares (its size and resolution), so that an oversized image is refused before any memory is
 * allocated for it or any time spent decoding or resampling it.
 */
export function checkFingerprintSize(width: number, height: number, ppi: number, where: Record<string, string | number>): void {
  const size = resampledSize(width, height, ppi, ENGINE_PPI);
  if (size.width < MIN_SIDE || size.height < MIN_SIDE || size.width > MAX_SIDE || size.height > MAX_SIDE) {
    const declared = Math.abs(ppi - ENGINE_PPI) < 0.5 ? '' : ` (${width}×${height} at ${Math.round(ppi)} ppi)`;
    throw new ConcordError(
      'IMAGE_DIMENSIONS',
      `image is ${size.width}×${size.height} at ${ENGINE_PPI} ppi${declared}; fingerprints must be between ${MIN_SIDE}×${MIN_SIDE} and ${MAX_SIDE}×${MAX_SIDE}`,
      { ...where, width: size.width, height: size.height },
    );
  }
}
