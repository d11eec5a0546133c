import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { ConcordError } from '../shared/errors.ts';
import { MAX_FILE_BYTES } from '../infra/images/read-fingerprint-image.ts';
import { MAX_PHOTO_BYTES } from '../infra/images/normalize-photo.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { fingerPosition, fingersFromImages } from './fingerprint-parts.ts';

/**
 * The most a multipart request may carry in all: ten finger images, a face photo and a JSON part
 * fit with room to spare (finger files run from 10 to 600 KB; one is at most MAX_FILE_BYTES).
 */
export const MAX_MULTIPART_BYTES = 32 * 1024 * 1024;

/** The multipart parser's own limits: no file part larger than the largest kind of image. */
export const MULTIPART_LIMITS = {
  fileSize: Math.max(MAX_FILE_BYTES, MAX_PHOTO_BYTES),
  files: 11,
  fields: 4,
  fieldSize: 64 * 1024,
  parts: 16,
};

export interface MultipartBody {
  /** The JSON part as sent: the route checks it against its schema. */
  json: unknown;
  images: { field: string; bytes: Uint8Array }[];
  photo?: Uint8Array;
}

/**
 * Reads a multipart request as it arrives: one optional JSON part (`jsonPart`, or `request` and
 * `tcn` when there is none), the image parts, and a face photo with a `subject`. Each part is
 * checked as soon as its header is seen — a repeated or unexpected part is refused before it
 * is read — and each file as its bytes arrive: one larger than its image limit, or a body larger
 * than MAX_MULTIPART_BYTES, is refused then, without reading the rest of the request.
 */
export async function readMultipart(request: FastifyRequest, jsonPart: string | undefined, options: { fingersOnly?: boolean; photo?: boolean } = {}): Promise<MultipartBody> {
  if (!request.isMultipart()) throw new ConcordError('BAD_REQUEST', 'expected a multipart/form-data body', {});
  const declared = Number(request.headers['content-length']);
  if (declared > MAX_MULTIPART_BYTES) throw tooLarge(`is ${declared} bytes`);
  let json: unknown;
  const images: { field: string; bytes: Uint8Array }[] = [];
  let photo: Uint8Array | undefined;
  const seen = new Set<string>();
  const body = { bytes: 0 };
  try {
    for await (const part of request.parts()) {
      const name = part.fieldname;
      if (seen.has(name)) throw new ConcordError('BAD_REQUEST', `part "${name}" was sent twice`, { part: name });
      seen.add(name);
      if (part.type === 'file') {
        if (name === 'photo') {
          // A face photo belongs to an enrollment, with the subject it shows, or is a face search's probe.
          if ((jsonPart !== 'subject' && !options.photo) || options.fingersOnly) throw new ConcordError('BAD_REQUEST', 'unexpected part "photo": a face photo is sent with an enrollment or a face search only', { part: name });
          photo = await readFile(part, MAX_PHOTO_BYTES, body);
        } else {
          checkImagePart(name, images, options.fingersOnly === true);
          images.push({ field: name, bytes: await readFile(part, MAX_FILE_BYTES, body) });
        }
        continue;
      }
      if (options.fingersOnly) throw new ConcordError('BAD_REQUEST', `unexpected part "${name}": send finger images only`, { part: name });
      body.bytes += typeof part.value === 'string' ? part.value.length : JSON.stringify(part.value).length;
      if (name === jsonPart || (jsonPart === undefined && name === 'request')) {
        // A part sent as application/json arrives parsed; as text/plain, as a string. Its schema is the route's to check.
        const value = typeof part.value === 'string' ? parseJsonPart(part.value, name) : part.value;
        json = json === undefined ? value : { ...asObject(value), ...asObject(json) };
      } else if (jsonPart === undefined && name === 'tcn') {
        json = { ...asObject(json), tcn: part.value };
      } else {
        throw new ConcordError('BAD_REQUEST', `unexpected part "${name}"`, { part: name });
      }
    }
  } catch (error) {
    // The parser's own complaints (a truncated body, a broken boundary) carry no status: the sender's fault, not ours.
    if (error instanceof ConcordError || (error as { statusCode?: number }).statusCode) throw error;
    throw new ConcordError('BAD_REQUEST', 'the multipart body cannot be read', {});
  }
  if (jsonPart && json === undefined) throw new ConcordError('MISSING_PART', `the "${jsonPart}" JSON part is missing`, { part: jsonPart });
  return { json: json ?? {}, images, photo };
}

/** A body of finger images and nothing else, as templates. */
export async function readFingerImages(request: FastifyRequest): Promise<FingerPayload[]> {
  const { images } = await readMultipart(request, undefined, { fingersOnly: true });
  return fingersFromImages(images, 'search');
}

/**
 * Image parts are `finger_1` … `finger_10`, or the single image of an examiner's request under
 * any other name (`image`, `probe`): never both kinds, never two of the latter.
 */
function checkImagePart(name: string, images: readonly { field: string }[], fingersOnly: boolean): void {
  const isFinger = fingerPosition(name) !== undefined;
  const unexpected = (why: string) => new ConcordError('BAD_REQUEST', `unexpected part "${name}": ${why}`, { part: name });
  if (!isFinger && (fingersOnly || name.startsWith('finger_'))) throw unexpected('not a finger position (finger_1 … finger_10)');
  if (!isFinger && images.length > 0) throw unexpected('a single image is sent alone');
  if (isFinger && images.some((image) => fingerPosition(image.field) === undefined)) throw unexpected('a single image is sent alone');
}

/** A file part's bytes, refused as soon as they pass its limit or the body passes its own. */
async function readFile(part: MultipartFile, limit: number, body: { bytes: number }): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file as AsyncIterable<Buffer>) {
    size += chunk.length;
    body.bytes += chunk.length;
    if (size > limit || part.file.truncated) {
      throw new ConcordError('IMAGE_TOO_LARGE', `${part.fieldname}: image file is more than ${limit} bytes, the limit`, { part: part.fieldname, limit });
    }
    if (body.bytes > MAX_MULTIPART_BYTES) throw tooLarge(`passes ${MAX_MULTIPART_BYTES} bytes`);
    chunks.push(chunk);
  }
  if (part.file.truncated) throw new ConcordError('IMAGE_TOO_LARGE', `${part.fieldname}: image file is more than ${limit} bytes, the limit`, { part: part.fieldname, limit });
  const bytes = Buffer.concat(chunks);
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

function tooLarge(size: string): ConcordError {
  return new ConcordError('PAYLOAD_TOO_LARGE', `the request body ${size}; a multipart request may carry at most ${MAX_MULTIPART_BYTES}`, { limit: MAX_MULTIPART_BYTES });
}

/** The fields a part holds, when it is an object; a part of another shape is left to the schema to refuse. */
function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function parseJsonPart(text: string, part: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConcordError('BAD_JSON', `part "${part}" is not JSON`, { part });
  }
}
