import { crc32 } from 'node:zlib';
import { ConcordError } from '../../shared/errors.ts';

/**
 * The face model Concord uses, as a generation number stored in every face template, like the
 * fingerprint extractor's generation: descriptors of different generations are not comparable,
 * so a template of another generation is re-made from its photo rather than matched.
 */
export const FACE_MODEL_GENERATION = 1;
export const FACE_MODEL_NAME = 'face-api 1.7 (SSD MobileNet v1 detector, 68-point landmarks, ResNet-34 128-d descriptor)';
export const DESCRIPTOR_LENGTH = 128;

/** What the matcher compares: the face's descriptor and the model generation that made it. */
export interface FaceTemplate {
  readonly generation: number;
  readonly descriptor: Float32Array;
}

/**
 * Face template format, version 1:
 *
 *   offset size   field
 *   0      3      magic "CFF"
 *   3      1      format version (1)
 *   4      2      model generation, big-endian
 *   6      4·128  descriptor, float32 little-endian
 *   518    4      CRC-32 of everything before it
 */
const MAGIC = [0x43, 0x46, 0x46]; // "CFF"
const VERSION = 1;
const HEADER_BYTES = 6;
export const FACE_TEMPLATE_BYTES = HEADER_BYTES + 4 * DESCRIPTOR_LENGTH + 4;

export function encodeFaceTemplate(template: FaceTemplate): Uint8Array {
  if (template.descriptor.length !== DESCRIPTOR_LENGTH) throw new ConcordError('TEMPLATE_MALFORMED', `a face descriptor has ${DESCRIPTOR_LENGTH} values, not ${template.descriptor.length}`);
  const bytes = new Uint8Array(FACE_TEMPLATE_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  bytes[3] = VERSION;
  view.setUint16(4, template.generation);
  template.descriptor.forEach((v, i) => view.setFloat32(HEADER_BYTES + 4 * i, v, true));
  view.setUint32(FACE_TEMPLATE_BYTES - 4, crc32(bytes.subarray(0, FACE_TEMPLATE_BYTES - 4)));
  return bytes;
}

export function decodeFaceTemplate(bytes: Uint8Array): FaceTemplate {
  if (bytes.length !== FACE_TEMPLATE_BYTES || MAGIC.some((m, i) => bytes[i] !== m)) throw new ConcordError('TEMPLATE_MALFORMED', 'not a Concord face template');
  if (bytes[3] !== VERSION) throw new ConcordError('TEMPLATE_VERSION', `face template version ${bytes[3]} is not supported`, { version: bytes[3] });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(FACE_TEMPLATE_BYTES - 4) !== crc32(bytes.subarray(0, FACE_TEMPLATE_BYTES - 4))) throw new ConcordError('TEMPLATE_CHECKSUM', 'face template checksum mismatch');
  const descriptor = new Float32Array(DESCRIPTOR_LENGTH);
  for (let i = 0; i < DESCRIPTOR_LENGTH; i++) descriptor[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
  return { generation: view.getUint16(4), descriptor };
}
