import type { FastifyRequest } from 'fastify';
import { ConcordError } from '../shared/errors.ts';
import { fingersFromImages } from './fingerprint-parts.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';

/** Reads a multipart request: one optional JSON part and the finger image parts. */
export async function readMultipart(request: FastifyRequest, jsonPart: string | undefined): Promise<{ json: unknown; images: { field: string; bytes: Uint8Array }[]; photo?: Uint8Array }> {
  if (!request.isMultipart()) throw new ConcordError('BAD_REQUEST', 'expected a multipart/form-data body', {});
  let json: unknown;
  const images: { field: string; bytes: Uint8Array }[] = [];
  let photo: Uint8Array | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'photo') photo = bytes;
        else images.push({ field: part.fieldname, bytes });
      } else if (json === undefined && (part.fieldname === jsonPart || (jsonPart === undefined && part.fieldname === 'request'))) {
        // A part sent as application/json arrives parsed; as text/plain, as a string. Its schema is the route's to check.
        json = typeof part.value === 'string' ? parseJsonPart(part.value, part.fieldname) : part.value;
      } else if (json === undefined && jsonPart === undefined && part.fieldname === 'tcn') {
        json = { tcn: part.value };
      } else {
        throw new ConcordError('BAD_REQUEST', `unexpected part "${part.fieldname}"`, { part: part.fieldname });
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

/** A body of finger images and nothing else. */
export async function readFingerImages(request: FastifyRequest): Promise<FingerPayload[]> {
  const { json, images, photo } = await readMultipart(request, undefined);
  const extra = [...Object.keys(json as object), ...(photo ? ['photo'] : [])];
  if (extra.length > 0) throw new ConcordError('BAD_REQUEST', `unexpected part "${extra[0]}": send finger images only`, { part: extra[0] });
  return fingersFromImages(images, 'search');
}

function parseJsonPart(text: string, part: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConcordError('BAD_JSON', `part "${part}" is not JSON`, { part });
  }
}
