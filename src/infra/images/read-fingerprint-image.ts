import sharp, { type Metadata } from 'sharp';
import { ConcordError, within } from '../../shared/errors.ts';
import { ENGINE_PPI, type GrayImage } from '../../biometrics/gray-image.ts';
import { resampleToPpi } from '../../biometrics/image/resample.ts';
import { decodeBmp, isBmp } from '../../formats/bmp/decode-bmp.ts';
import { decodeWsq, isWsq } from '../../formats/wsq/index.ts';

export const MIN_SIDE = 150;
export const MAX_SIDE = 2000;
/** Refuse before decoding anything larger: a 2000×2000 8-bit image is 4 MB raw. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface ReadImageOptions {
  /** Resolution the caller declares; overrides whatever the file says. */
  ppi?: number;
  /** Name used in error locations (a file path, a multipart part name). */
  source?: string;
}

/**
 * Decodes a fingerprint image file (PNG, TIFF, BMP, JPEG, WSQ) to 8-bit gray at the engine's 500 ppi.
 * Every way a file can be wrong ends in a ConcordError: NOT_AN_IMAGE, CORRUPT_IMAGE,
 * IMAGE_TOO_LARGE, IMAGE_DIMENSIONS, BAD_RESOLUTION, or the WSQ decoder's WSQ_* codes.
 */
export async function readFingerprintImage(bytes: Uint8Array, options: ReadImageOptions = {}): Promise<GrayImage> {
  const where = { source: options.source ?? 'image' };
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ConcordError('IMAGE_TOO_LARGE', `image file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES}`, where);
  }
  if (options.ppi !== undefined && !(options.ppi >= 250 && options.ppi <= 2000)) {
    throw new ConcordError('BAD_RESOLUTION', `declared resolution ${options.ppi} ppi is outside 250–2000 ppi`, where);
  }
  const decoded = isBmp(bytes) ? located(decodeBmp, bytes, where) : isWsq(bytes) ? located(decodeWsq, bytes, where) : await decodeWithSharp(bytes, where);
  const ppi = options.ppi ?? plausiblePpi(decoded.ppi) ?? ENGINE_PPI;
  const image = resampleToPpi({ width: decoded.width, height: decoded.height, pixels: decoded.pixels, ppi }, ENGINE_PPI);
  if (image.width < MIN_SIDE || image.height < MIN_SIDE || image.width > MAX_SIDE || image.height > MAX_SIDE) {
    throw new ConcordError(
      'IMAGE_DIMENSIONS',
      `image is ${image.width}×${image.height} at ${ENGINE_PPI} ppi; fingerprints must be between ${MIN_SIDE}×${MIN_SIDE} and ${MAX_SIDE}×${MAX_SIDE}`,
      { ...where, width: image.width, height: image.height },
    );
  }
  return image;
}

/** Runs one of our own decoders, adding the source to the location of its errors. */
function located<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, where: { source: string }): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw within(error, undefined, where);
  }
}

async function decodeWithSharp(bytes: Uint8Array, where: { source: string }) {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { failOn: 'warning' }).metadata();
  } catch {
    throw new ConcordError('NOT_AN_IMAGE', 'not a readable image (PNG, TIFF, BMP or JPEG expected)', where);
  }
  if (!metadata.width || !metadata.height) throw new ConcordError('NOT_AN_IMAGE', 'image has no dimensions', where);
  if (metadata.width > 4 * MAX_SIDE || metadata.height > 4 * MAX_SIDE) {
    throw new ConcordError('IMAGE_DIMENSIONS', `image is ${metadata.width}×${metadata.height}, far beyond any fingerprint`, where);
  }
  try {
    const { data, info } = await sharp(bytes, { failOn: 'warning' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), ppi: metadata.density };
  } catch {
    throw new ConcordError('CORRUPT_IMAGE', 'image data cannot be decoded (truncated or damaged)', where);
  }
}

/** Files often carry a meaningless 72 or 96 dpi; only a fingerprint-like resolution is believed. */
function plausiblePpi(ppi: number | undefined): number | undefined {
  return ppi !== undefined && ppi >= 250 && ppi <= 2000 ? ppi : undefined;
}
