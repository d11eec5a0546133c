import sharp from 'sharp';
import { ConcordError } from '../../shared/errors.ts';

/** Largest side of a stored face photo: enough for an officer to recognise a face, no more. */
const MAX_SIDE = 640;
const MIN_SIDE = 64;
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * A face photo as Concord stores it: decoded (JPEG, PNG, WebP, TIFF), checked, and re-encoded as
 * a JPEG of at most 640 pixels a side with every piece of metadata (camera, place, time) left out.
 */
export async function normalizePhoto(bytes: Uint8Array, source = 'photo'): Promise<Uint8Array> {
  if (bytes.length > MAX_PHOTO_BYTES) throw new ConcordError('IMAGE_TOO_LARGE', `${source} is ${bytes.length} bytes; the limit is ${MAX_PHOTO_BYTES}`, { part: source });
  let width: number | undefined;
  let height: number | undefined;
  try {
    ({ width, height } = await sharp(bytes, { failOn: 'warning' }).metadata());
  } catch {
    throw new ConcordError('NOT_AN_IMAGE', `${source} is not a readable image (JPEG, PNG, WebP or TIFF expected)`, { part: source });
  }
  if (!width || !height || width < MIN_SIDE || height < MIN_SIDE || width > 20_000 || height > 20_000) {
    throw new ConcordError('IMAGE_DIMENSIONS', `${source} is ${width}×${height}; a face photo needs ${MIN_SIDE} to 20,000 pixels a side`, { part: source });
  }
  try {
    const jpeg = await sharp(bytes, { failOn: 'warning' }).rotate().resize(MAX_SIDE, MAX_SIDE, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer();
    return new Uint8Array(jpeg.buffer, jpeg.byteOffset, jpeg.length);
  } catch {
    throw new ConcordError('CORRUPT_IMAGE', `${source} cannot be decoded (truncated or damaged)`, { part: source });
  }
}
