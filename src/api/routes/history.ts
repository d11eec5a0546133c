import type { FastifyReply } from 'fastify';
import { readFingerImages } from '../multipart.ts';
import { BearerHeaders, PurposeQuery, Strict, SubjectId } from '../schemas/common.ts';
import { multipartBody } from '../schemas/multipart.ts';
import { allow, typed, type RouteContext } from './route-context.ts';

const SubjectParams = Strict({ id: SubjectId });

/** The one-stop history and the face photo: record disclosures, each filtered by policy and audited. */
export function registerHistoryRoutes({ app, gateway }: RouteContext): void {
  const api = typed(app);

  api.get('/v1/subjects/:id/history', {
    ...allow('history'),
    schema: { summary: 'One-stop history: criminal and immigration records merged, filtered by policy; audited', tags: ['history'], headers: BearerHeaders, params: SubjectParams, querystring: PurposeQuery },
  }, async (request) => gateway.history(request.requester!, request.params.id, request.query.purpose));

  // The same history for whoever the prints identify; the purpose is checked before they are read.
  api.post('/v1/history', {
    ...allow('history'),
    schema: {
      summary: 'One-stop history of whoever 1–10 prints positively identify in either repository, filtered by policy; audited',
      tags: ['history'],
      headers: BearerHeaders,
      querystring: PurposeQuery,
      body: multipartBody({}, { fingers: true, description: 'finger images only' }),
    },
  }, async (request) => gateway.historyByPrints(request.requester!, request.query.purpose, () => readFingerImages(request)));

  api.get('/v1/subjects/:id/photo', {
    ...allow('history'),
    schema: { summary: 'The face photo of a traveller (JPEG), under a full immigration grant; audited', tags: ['history'], headers: BearerHeaders, params: SubjectParams, querystring: PurposeQuery },
  }, async (request, reply) => {
    return sendPhoto(reply, await gateway.photo(request.requester!, request.params.id, request.query.purpose));
  });

  api.get('/v1/subjects/:id/booking-photo', {
    ...allow('history'),
    schema: { summary: 'The latest booking photo of a subject (JPEG), with a full criminal history under a criminal-justice grant; audited', tags: ['history'], headers: BearerHeaders, params: SubjectParams, querystring: PurposeQuery },
  }, async (request, reply) => {
    return sendPhoto(reply, await gateway.bookingPhoto(request.requester!, request.params.id, request.query.purpose));
  });
}

/** A released photo: a JPEG no cache may keep. */
function sendPhoto(reply: FastifyReply, photo: Uint8Array): FastifyReply {
  return reply.header('content-type', 'image/jpeg').header('cache-control', 'no-store').send(Buffer.from(photo));
}
