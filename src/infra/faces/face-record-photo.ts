import sharp from 'sharp';
import { ConcordError, within } from '../../shared/errors.ts';
import type { FaceRecord } from '../../formats/ansi-nist/face-records.ts';
import { decodeJpeg2000, readJpeg2000Header } from '../../formats/jpeg2000/index.ts';
import { MAX_FACE_PHOTO_PIXELS } from './read-face-image.ts';

/** Where a face record's problem lies, in the terms of the transaction problems (record, type, field). */
export function faceRecordLocation(face: FaceRecord, field = '10.999'): { label: string; where: Record<string, string | number> } {
  return { label: `record ${face.record} (Type-10), field ${field}, face IDC ${face.idc}`, where: { record: face.record, recordType: 10, field, idc: face.idc } };
}

/**
 * The photo a Type-10 face record carries, as bytes the face photo reader takes: a JPEG or PNG as
 * sent, a JPEG 2000 image decoded and written losslessly as a PNG (the reader and the photo store
 * take no JPEG 2000). The record's 10.006/10.007 must agree with the image's own header, and a
 * JPEG 2000 image larger than a camera's is refused from its header, before it is decoded.
 */
export async function faceRecordPhoto(face: FaceRecord): Promise<Uint8Array> {
  const problem = (code: string, field: string, detail: string, extra: Record<string, string | number> = {}) => {
    const { label, where } = faceRecordLocation(face, field);
    return new ConcordError(code, `${label}: ${detail}`, { ...where, ...extra });
  };
  if (face.data.length === 0) throw problem('AN_MISSING_IMAGE', '10.999', 'the face record carries no image data');
  const sizeDiffers = (kind: string, width: number, height: number) =>
    problem('AN_IMAGE_SIZE', '10.006', `the record says ${face.width}×${face.height} but the ${kind} image is ${width}×${height}`, { width, height });
  switch (face.compression) {
    case 'JPEGB':
    case 'PNG': {
      let meta;
      try {
        meta = await sharp(face.data, { limitInputPixels: false }).metadata();
      } catch {
        throw problem('NOT_AN_IMAGE', '10.999', `the image data is not a readable ${face.compression === 'PNG' ? 'PNG' : 'JPEG'} image`);
      }
      const expected = face.compression === 'PNG' ? 'png' : 'jpeg';
      if (meta.format !== expected) throw problem('NOT_AN_IMAGE', '10.011', `10.011 CGA says ${face.compression} but the image data is ${meta.format ?? 'of no known format'}`);
      if (meta.width !== face.width || meta.height !== face.height) throw sizeDiffers(face.compression === 'PNG' ? 'PNG' : 'JPEG', meta.width ?? 0, meta.height ?? 0);
      return face.data;
    }
    case 'JP2':
    case 'JP2L':
      return jpeg2000Photo(face, problem, sizeDiffers);
    default:
      throw problem('AN_UNSUPPORTED_COMPRESSION', '10.011', `${face.compression} face images are not taken (JPEGB, JP2, JP2L or PNG)`);
  }
}

type Problem = (code: string, field: string, detail: string, extra?: Record<string, string | number>) => ConcordError;

async function jpeg2000Photo(face: FaceRecord, problem: Problem, sizeDiffers: (kind: string, width: number, height: number) => ConcordError): Promise<Uint8Array> {
  let header;
  try {
    header = readJpeg2000Header(face.data);
  } catch (error) {
    throw problem('AN_BAD_JP2', '10.999', `the image data is not a valid JPEG 2000 image (${error instanceof Error ? error.message : String(error)})`);
  }
  if (header.width !== face.width || header.height !== face.height) throw sizeDiffers('JPEG 2000', header.width, header.height);
  if (header.width * header.height > MAX_FACE_PHOTO_PIXELS) {
    throw problem('IMAGE_DIMENSIONS', '10.006', `the image declares ${header.width}×${header.height} pixels, more than ${MAX_FACE_PHOTO_PIXELS / 1e6} megapixels: refused before decoding`, { width: header.width, height: header.height });
  }
  if (header.bitsPerSample !== 8) throw problem('UNSUPPORTED_COLOUR', '10.999', `the image has ${header.bitsPerSample} bits a sample; a face photo has 8`, { depth: header.bitsPerSample });
  if (header.components !== 1 && header.components !== 3) throw problem('UNSUPPORTED_COLOUR', '10.012', `the image has ${header.components} components; a face photo is gray or RGB`, { components: header.components });
  let decoded;
  try {
    decoded = decodeJpeg2000(face.data);
  } catch (error) {
    const { label, where } = faceRecordLocation(face);
    throw within(error, label, where);
  }
  const png = await sharp(decoded.samples, { raw: { width: decoded.width, height: decoded.height, channels: decoded.components as 1 | 3 } }).png({ compressionLevel: 1 }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.length);
}
