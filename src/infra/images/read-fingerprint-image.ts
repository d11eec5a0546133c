import sharp, { type Metadata } from 'sharp';
import { ConcordError, within } from '../../shared/errors.ts';
import { ENGINE_PPI, type GrayImage } from '../../biometrics/gray-image.ts';
import { checkFingerprintSize } from '../../biometrics/image/fingerprint-size.ts';
import { resampleToPpi } from '../../biometrics/image/resample.ts';
import { decodeBmp, isBmp, readBmpHeader } from '../../formats/bmp/decode-bmp.ts';
import { decodeWsq, isWsq, readWsqHeader } from '../../formats/wsq/index.ts';

/**
 * Refuse before reading anything larger: fingerprint files run from 10 to 600 KB, and a
 * 2000×2000 8-bit image, the largest the engine takes, is 4 MB uncompressed.
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

export interface ReadImageOptions {
  /** Resolution the caller declares; overrides whatever the file says. */
  ppi?: number;
  /** Name used in error locations (a file path, a multipart part name). */
  source?: string;
}

/** An image file whose header has been read: its declared size, and how to decode the rest. */
interface OpenedImage {
  width: number;
  height: number;
  ppi?: number;
  decode(): Promise<{ width: number; height: number; pixels: Uint8Array; ppi?: number }>;
}

/**
 * Decodes a fingerprint image file (PNG, TIFF, BMP, JPEG, WSQ) to 8-bit gray at the engine's 500 ppi.
 * Its size at 500 ppi is checked from the file's header (and declared resolution) before
 * anything is decoded or resampled. Every way a file can be wrong ends in a ConcordError:
 * NOT_AN_IMAGE, CORRUPT_IMAGE, IMAGE_TOO_LARGE, IMAGE_DIMENSIONS, BAD_RESOLUTION, or the WSQ
 * decoder's WSQ_* codes.
 */
export async function readFingerprintImage(bytes: Uint8Array, options: ReadImageOptions = {}): Promise<GrayImage> {
  const where = { source: options.source ?? 'image' };
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ConcordError('IMAGE_TOO_LARGE', `image file is ${bytes.length} bytes; the limit is ${MAX_FILE_BYTES}`, where);
  }
  if (options.ppi !== undefined && !(options.ppi >= 250 && options.ppi <= 2000)) {
    throw new ConcordError('BAD_RESOLUTION', `declared resolution ${options.ppi} ppi is outside 250–2000 ppi`, where);
  }
  const opened = await openImage(bytes, where);
  const ppi = options.ppi ?? plausiblePpi(opened.ppi) ?? ENGINE_PPI;
  checkFingerprintSize(opened.width, opened.height, ppi, where);
  const decoded = await opened.decode();
  const image = resampleToPpi({ width: decoded.width, height: decoded.height, pixels: decoded.pixels, ppi }, ENGINE_PPI);
  // The decoder gives the size its header declared; checked again so no other size reaches the engine.
  checkFingerprintSize(image.width, image.height, ENGINE_PPI, where);
  return image;
}

async function openImage(bytes: Uint8Array, where: { source: string }): Promise<OpenedImage> {
  if (isBmp(bytes)) return { ...located(readBmpHeader, bytes, where), decode: async () => located(decodeBmp, bytes, where) };
  if (isWsq(bytes)) return { ...located(readWsqHeader, bytes, where), decode: async () => located(decodeWsq, bytes, where) };
  const metadata = await readMetadata(bytes, where);
  return { width: metadata.width, height: metadata.height, ppi: metadata.density, decode: () => decodeWithSharp(bytes, where) };
}

/** Runs one of our own decoders, adding the source to the location of its errors. */
function located<T>(decode: (bytes: Uint8Array) => T, bytes: Uint8Array, where: { source: string }): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw within(error, undefined, where);
  }
}

/** What the image library reads from the file's header alone (PNG IHDR and pHYs, TIFF tags, JPEG SOF and JFIF). */
async function readMetadata(bytes: Uint8Array, where: { source: string }): Promise<Metadata & { width: number; height: number }> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { failOn: 'warning' }).metadata();
  } catch {
    throw new ConcordError('NOT_AN_IMAGE', 'not a readable image (PNG, TIFF, BMP or JPEG expected)', where);
  }
  if (!metadata.width || !metadata.height) throw new ConcordError('NOT_AN_IMAGE', 'image has no dimensions', where);
  return metadata as Metadata & { width: number; height: number };
}

async function decodeWithSharp(bytes: Uint8Array, where: { source: string }) {
  try {
    const { data, info } = await sharp(bytes, { failOn: 'warning' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch {
    throw new ConcordError('CORRUPT_IMAGE', 'image data cannot be decoded (truncated or damaged)', where);
  }
}

/** Files often carry a meaningless 72 or 96 dpi; only a fingerprint-like resolution is believed. */
function plausiblePpi(ppi: number | undefined): number | undefined {
  return ppi !== undefined && ppi >= 250 && ppi <= 2000 ? ppi : undefined;
}
