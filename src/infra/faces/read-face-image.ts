import sharp, { type Metadata } from 'sharp';
import { ConcordError } from '../../shared/errors.ts';
import type { Gray } from '../../biometrics/face/face-pixels.ts';
import { MAX_PHOTO_BYTES } from '../images/normalize-photo.ts';
import type { RgbImage } from './face-model.ts';

/** Smallest side in which a face can have the 60 pixels between the eyes that the checks ask for. */
export const MIN_FACE_PHOTO_SIDE = 160;
/** Most pixels a face photo may declare: a camera's 40 megapixels, far below a decompression bomb. */
export const MAX_FACE_PHOTO_PIXELS = 40_000_000;
/** Longest side the model is shown: its detector works at 512, more only costs time. */
const ANALYSIS_SIDE = 1024;

export interface FaceImage {
  readonly rgb: RgbImage;
  readonly gray: Gray;
  /** The photo's pixels per analysed pixel. */
  readonly scale: number;
}

/**
 * A face photo checked from its header before anything is decoded, then decoded at most to
 * ANALYSIS_SIDE: refused with a typed error when it is not an image, too small for a face to be
 * measured, larger than any camera's (a decompression bomb), CMYK or more than 8 bits a channel,
 * or has transparent pixels (a cut-out, not a photograph).
 */
export async function readFaceImage(bytes: Uint8Array, source = 'photo'): Promise<FaceImage> {
  if (bytes.length > MAX_PHOTO_BYTES) throw new ConcordError('IMAGE_TOO_LARGE', `${source} is ${bytes.length} bytes; the limit is ${MAX_PHOTO_BYTES}`, { part: source });
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ConcordError('NOT_AN_IMAGE', `${source} is not a readable image (JPEG, PNG, WebP or TIFF expected)`, { part: source });
  }
  const { width = 0, height = 0 } = meta;
  if (!['jpeg', 'png', 'webp', 'tiff'].includes(meta.format ?? '')) throw new ConcordError('NOT_AN_IMAGE', `${source} is ${meta.format ?? 'of no known format'}; a JPEG, PNG, WebP or TIFF is expected`, { part: source });
  if (width * height > MAX_FACE_PHOTO_PIXELS) throw new ConcordError('IMAGE_DIMENSIONS', `${source} declares ${width}×${height} pixels, more than ${MAX_FACE_PHOTO_PIXELS / 1e6} megapixels: refused before decoding`, { part: source, width, height });
  if (Math.min(width, height) < MIN_FACE_PHOTO_SIDE) throw new ConcordError('IMAGE_DIMENSIONS', `${source} is ${width}×${height}; a face can be measured from ${MIN_FACE_PHOTO_SIDE} pixels a side`, { part: source, width, height });
  if (meta.space === 'cmyk' || (meta.channels === 4 && !meta.hasAlpha)) throw new ConcordError('UNSUPPORTED_COLOUR', `${source} is CMYK; a face photo is RGB or gray (sRGB)`, { part: source, space: meta.space ?? 'unknown' });
  const precision = meta.format === 'jpeg' ? jpegPrecision(bytes) : 8;
  if (precision !== 8) throw new ConcordError('UNSUPPORTED_COLOUR', `${source} is a ${precision}-bit JPEG; a face photo has 8 bits a channel`, { part: source, depth: precision });
  if (meta.depth !== undefined && meta.depth !== 'uchar' && meta.depth !== 'char') throw new ConcordError('UNSUPPORTED_COLOUR', `${source} has ${meta.depth === 'ushort' ? '16' : meta.depth} bits a channel; a face photo has 8`, { part: source, depth: meta.depth });
  try {
    const input = sharp(bytes, { failOn: 'error', limitInputPixels: MAX_FACE_PHOTO_PIXELS });
    if (meta.hasAlpha) {
      if (!(await input.clone().stats()).isOpaque) throw new ConcordError('PHOTO_TRANSPARENT', `${source} has transparent pixels; a face photo is a photograph, not a cut-out`, { part: source });
    }
    const { data, info } = await input.rotate().resize(ANALYSIS_SIDE, ANALYSIS_SIDE, { fit: 'inside', withoutEnlargement: true }).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    const rgb = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
    const rotated = meta.orientation !== undefined && meta.orientation >= 5;
    return { rgb, gray: toGray(rgb), scale: (rotated ? height : width) / info.width };
  } catch (error) {
    if (error instanceof ConcordError) throw error;
    throw new ConcordError('CORRUPT_IMAGE', `${source} cannot be decoded (truncated or damaged)`, { part: source });
  }
}

/**
 * The sample precision of a JPEG from its frame header (SOF0–SOF15 but DHT, JPG and DAC): 8 for a
 * baseline photo, 12 or 16 for an extended or lossless one, which decoders may widen silently.
 */
function jpegPrecision(bytes: Uint8Array): number {
  let i = 2;
  while (i + 4 < bytes.length) {
    if (bytes[i] !== 0xff) return 8;
    const marker = bytes[i + 1];
    if (marker === 0xff) { i++; continue; }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return bytes[i + 4];
    if (marker === 0xda) return 8;
    i += 2 + length;
  }
  return 8;
}

/** Luma as ITU-R BT.601 weighs it. */
function toGray(rgb: RgbImage): Gray {
  const pixels = new Uint8Array(rgb.width * rgb.height);
  for (let i = 0, j = 0; i < pixels.length; i++, j += 3) pixels[i] = Math.round(0.299 * rgb.data[j] + 0.587 * rgb.data[j + 1] + 0.114 * rgb.data[j + 2]);
  return { width: rgb.width, height: rgb.height, pixels };
}
