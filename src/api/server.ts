import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { ConcordError } from '../shared/errors.ts';
import type { ConcordSystem } from '../app/concord-system.ts';
import { AGENCY_TYPES, mayPerform, ROLES, type Action, type AgencyType, type Requester, type Role } from '../gateway/access.ts';
import { isRedressKind, REDRESS_KINDS } from '../gateway/redress.ts';
import { DISSEMINATION_METHODS, isDisseminationMethod } from '../gateway/secondary-dissemination.ts';
import { CLIENT_AUDIENCE } from '../gateway/client-credentials.ts';
import type { JWK } from 'jose';
import { DEFAULT_RETENTION, type RetentionRules } from '../gateway/gateway.ts';
import { DEFAULT_RATE_LIMITS, FailureLimiter, RateLimiter, SIGN_IN_RATE_LIMITS, type RateLimits } from '../gateway/rate-limit.ts';
import { answerEbtsSubmission } from '../app/ebts-exchange.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { readEbtsResponse } from '../formats/ebts/responses.ts';
import { httpStatusFor } from './http-status.ts';
import { fingersFromImages } from './fingerprint-parts.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import { encodePng } from '../infra/images/encode-png.ts';
import { normalizePhoto } from '../infra/images/normalize-photo.ts';
import { decodeWsq } from '../formats/wsq/index.ts';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { openApiDocument } from './openapi.ts';
import { registerPortal } from './portal-routes.ts';
import { ORI, parseJsonPart, requireDate, requireString, SHORT_TEXT } from './validation.ts';

declare module 'fastify' {
  interface FastifyRequest {
    requester?: Requester;
  }
  interface FastifyContextConfig {
    /** The route serves requesters whose role may take one of these actions. */
    actions?: readonly Action[];
  }
}

/** Route options: who may call it, checked before its body is read. */
const allow = (...actions: Action[]) => ({ config: { actions } });

/** The HTTP API: thin — parse, call the gateway, render. */
export async function buildServer(system: ConcordSystem, options: { maxUploadBytes: number; rateLimits?: RateLimits; retention?: RetentionRules }): Promise<FastifyInstance> {
  const gateway = system.gateway;
  if (!gateway) throw new Error('the HTTP API needs the gateway node');
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(multipart, { limits: { fileSize: options.maxUploadBytes, files: 12, fields: 4, fieldSize: 64 * 1024, parts: 16 } });

  const limiter = new RateLimiter(options.rateLimits ?? DEFAULT_RATE_LIMITS);
  // Guessing is slowed per account and per client address, whatever the lockout says.
  const signInLimiter = new RateLimiter(SIGN_IN_RATE_LIMITS, Date.now, { user: 'account', agency: 'client address' });
  // Failed credentials per client address: a flood of guessed tokens is refused before it is looked up or audited.
  const failedCredentials = new FailureLimiter();
  app.setErrorHandler(async (error, request, reply) => {
    const concord = toConcordError(error);
    // Every refusal and failure of an authenticated request is audited under its route's action, naming the record in
    // its path and the TCN it carried (once: the gateway skips what it recorded itself). A flood refused by the rate limit is not.
    if (request.requester && concord.code !== 'RATE_LIMITED') {
      const params = request.params as Record<string, unknown> | undefined;
      const query = request.query as Record<string, unknown> | undefined;
      await gateway.recordFailure(request.requester, request.routeOptions.config?.actions?.[0] ?? 'request', error, {
        code: concord.code,
        recordIds: typeof params?.id === 'string' ? [params.id] : [],
        purpose: typeof query?.purpose === 'string' ? query.purpose : undefined,
        tcn: typeof concord.where.tcn === 'string' ? concord.where.tcn : undefined,
      }).catch(() => undefined); // an audit trail that cannot be written must not hide the answer
    }
    if (concord.code === 'RATE_LIMITED') void reply.header('retry-after', String(concord.where.retryAfter));
    return reply.status(httpStatusFor(concord.code)).send({ error: concord.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url}`, where: {} } });
  });

  app.addHook('preHandler', async (request) => {
    // The matched route, not the raw URL: a percent-encoded path must not slip past authentication.
    if (!request.routeOptions.url?.startsWith('/v1/')) return;
    failedCredentials.check(request.ip);
    let requester;
    try {
      requester = await gateway.authenticate(bearerToken(request), request.ip);
    } catch (error) {
      if (failedCredentials.fail(request.ip)) await gateway.recordThrottled(request.ip);
      throw error;
    }
    request.requester = requester;
    limiter.take(requester.userId, requester.ori);
    // Refused before any upload is read or decoded; the gateway audits the refusal.
    const actions = request.routeOptions.config?.actions;
    if (actions && !actions.some((action) => mayPerform(requester, action))) await gateway.authorize(requester, actions[0]);
  });

  app.get('/openapi.json', async () => openApiDocument);
  registerPortal(app);

  app.post<{ Body: Record<string, unknown> }>('/auth/sign-in', async (request) => {
    const body = request.body ?? {};
    signInLimiter.take(String(body.user ?? ''), request.ip);
    const result = await gateway.signIn({ user: requireString(body, 'user'), password: requireString(body, 'password'), code: requireString(body, 'code') }, request.ip);
    return { token: result.token, user: userView(result.requester), idleLockSeconds: result.idleLockSeconds };
  });
  app.post('/v1/sign-out', async (request, reply) => {
    await gateway.signOut(request.requester!, bearerToken(request) ?? '');
    return reply.status(204).send();
  });
  // For the examiner's view: the minutiae the engine finds in one image, to overlay on it.
  app.post('/v1/minutiae', allow('enroll', 'book', 'identify'), async (request) => {
    const { images } = await readMultipart(request, undefined);
    const { template, image } = await singleFinger(images);
    return { width: template.width, height: template.height, quality: template.quality, minutiae: template.minutiae, image };
  });

  // The examiner's comparison: a probe print against a subject's stored print, side by side.
  app.post<{ Querystring: { purpose?: string } }>('/v1/compare', allow('identify'), async (request) => {
    const { json, images } = await readMultipart(request, undefined);
    const subject = requireString(json, 'subject');
    const position = Number(json.position);
    if (!Number.isInteger(position) || position < 1 || position > 10) throw new ConcordError('BAD_REQUEST', 'field "position" must be a finger position 1–10', { field: 'position' });
    const probe = await singleFinger(images);
    const comparison = await gateway.compare(request.requester!, { probe: probe.template, subject, position, purpose: request.query.purpose });
    const probeView = { width: probe.template.width, height: probe.template.height, minutiae: probe.template.minutiae, image: probe.image };
    if (!comparison.candidate) return { score: comparison.score, fmr: comparison.fmr, pairs: comparison.pairs, probe: probeView };
    const { wsq, ...candidate } = comparison.candidate;
    return {
      score: comparison.score,
      fmr: comparison.fmr,
      pairs: comparison.pairs,
      probe: probeView,
      candidate: { ...candidate, image: wsq ? await pngDataUrl(decodeWsq(Buffer.from(wsq, 'base64'))) : undefined },
    };
  });

  app.get('/v1/me', async (request) => userView(request.requester!));
  app.get('/health', async (_request, reply) => {
    const check = async (subject: string) => system.bus.request(subject, {}, 2000).then(() => 'up', () => 'down');
    const database = await gateway.database.query('SELECT 1').then(() => 'up', () => 'down');
    const nodes = { gateway: database, immigration: await check('immigration.health'), criminal: await check('criminal.health') };
    const healthy = Object.values(nodes).every((s) => s === 'up');
    // Templates refused at start (altered or moved in the database) are counted, never named, here.
    const refusedTemplates = system.refusedTemplates().length;
    return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', nodes, bus: system.bus.kind, database: gateway.database.kind, refusedTemplates });
  });

  app.post('/v1/encounters', allow('enroll'), async (request) => {
    const { json, images, photo } = await readMultipart(request, 'subject');
    const subject = json;
    const traveller = {
      name: { family: requireString(subject, 'name.family'), given: requireString(subject, 'name.given') },
      dob: requireDate(subject, 'dob'),
      sex: typeof subject.sex === 'string' ? subject.sex : undefined,
      nationality: requireString(subject, 'nationality', /^[A-Za-z]{3}$/).toUpperCase(),
      admissionClass: requireString(subject, 'admissionClass'),
      needsI94OrWaiver: subject.needsI94OrWaiver === true,
      document: {
        type: requireString(subject, 'document.type'),
        number: requireString(subject, 'document.number'),
        issuingCountry: requireString(subject, 'document.issuingCountry'),
      },
    };
    const fingers = await fingersFromImages(images, 'retained');
    const face = photo ? Buffer.from(await normalizePhoto(photo)).toString('base64') : undefined;
    return gateway.enroll(request.requester!, {
      photo: face,
      tcn: requireString(subject, 'tcn'),
      port: requireString(subject, 'port'),
      inspectionDate: subject.inspectionDate === undefined ? new Date().toISOString().slice(0, 10) : requireDate(subject, 'inspectionDate'),
      traveller,
      fingers,
    });
  });

  app.post('/v1/bookings', allow('book'), async (request) => {
    const { json, images } = await readMultipart(request, 'booking');
    const charges = Array.isArray(json.charges) ? json.charges : [];
    if (charges.length === 0) throw new ConcordError('BAD_REQUEST', 'field "charges" needs at least one charge', { field: 'charges' });
    const fingers = await fingersFromImages(images, 'retained');
    if (fingers.length === 0) throw new ConcordError('FINGER_COUNT', 'a booking needs fingerprints (finger_1 … finger_10)', { fingers: 0 });
    return gateway.book(request.requester!, {
      tcn: requireString(json, 'tcn'),
      purpose: typeof json.purpose === 'string' ? json.purpose : undefined,
      arrest: {
        name: { family: requireString(json, 'name.family'), given: requireString(json, 'name.given') },
        dob: requireDate(json, 'dob'),
        sex: typeof json.sex === 'string' ? json.sex : undefined,
        dateOfArrest: requireDate(json, 'dateOfArrest'),
        charges: charges.map((c: Record<string, unknown>, k: number) => ({
          literal: requireString(c, 'literal'),
          severity: c.severity === 'felony' ? 'felony' : c.severity === 'misdemeanor' ? 'misdemeanor' : badCharge(k),
          ncicOffenseCode: typeof c.ncicOffenseCode === 'string' ? c.ncicOffenseCode : undefined,
        })),
        dispositions: Array.isArray(json.dispositions) ? json.dispositions : [],
        juvenile: json.juvenile === true,
        treatAsAdult: json.treatAsAdult === true,
      },
      fingers,
    });
  });

  app.post<{ Querystring: { purpose?: string } }>('/v1/identify', allow('identify'), async (request) => {
    const { json, images } = await readMultipart(request, undefined);
    const fingers = await fingersFromImages(images, 'search');
    return gateway.identify(request.requester!, { tcn: typeof json.tcn === 'string' ? json.tcn : `RPIS-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, purpose: request.query.purpose, fingers });
  });

  // EBTS transactions arrive as files; the answer is a file too (SRE, SRT, RPISR or ERRT).
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: options.maxUploadBytes }, (_request, body, done) => done(null, body));
  app.post('/v1/ebts', allow('book', 'identify'), async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) throw new ConcordError('BAD_REQUEST', 'send the EBTS transaction as the body, Content-Type application/octet-stream', {});
    const body = request.body;
    const answer = await answerEbtsSubmission(gateway, request.requester!, new Uint8Array(body.buffer, body.byteOffset, body.length), () => new Date());
    const status = answer.problem ? httpStatusFor(answer.problem.code) : 200;
    // A browser asks for the answer read back as JSON; a booking station gets the file.
    if (request.headers.accept?.includes('application/json')) return reply.status(status).send(readEbtsResponse(readTransaction(answer.bytes)));
    return reply
      .status(status)
      .header('content-type', 'application/octet-stream')
      .header('x-ebts-tot', answer.tot)
      .send(Buffer.from(answer.bytes));
  });

  app.get<{ Params: { id: string }; Querystring: { purpose?: string } }>('/v1/subjects/:id/history', allow('history'), async (request) => {
    return gateway.history(request.requester!, request.params.id, request.query.purpose);
  });

  // The same history for whoever the prints identify; the purpose is checked before they are read.
  app.post<{ Querystring: { purpose?: string } }>('/v1/history', allow('history'), async (request) => {
    return gateway.historyByPrints(request.requester!, request.query.purpose, () => readFingerImages(request));
  });

  app.get<{ Params: { id: string }; Querystring: { purpose?: string } }>('/v1/subjects/:id/photo', allow('history'), async (request, reply) => {
    const photo = await gateway.photo(request.requester!, request.params.id, request.query.purpose);
    return reply.header('content-type', 'image/jpeg').header('cache-control', 'no-store').send(Buffer.from(photo));
  });

  app.post<{ Body: Record<string, unknown> }>('/v1/wanted', allow('wanted.enter'), async (request, reply) => {
    const body = request.body ?? {};
    const extradition = body.extradition;
    if (extradition !== 'full' && extradition !== 'limited' && extradition !== 'none') {
      throw new ConcordError('BAD_REQUEST', 'field "extradition" must be full, limited or none', { field: 'extradition' });
    }
    const record = await gateway.enterWanted(request.requester!, {
      fbiNumber: requireString(body, 'fbiNumber'),
      warrantNo: requireString(body, 'warrantNo'),
      offense: requireString(body, 'offense'),
      dateOfWarrant: requireDate(body, 'dateOfWarrant'),
      extradition,
      caution: Array.isArray(body.caution) ? body.caution.map(String) : [],
    });
    return reply.status(201).send(record);
  });

  app.delete<{ Params: { id: string } }>('/v1/wanted/:id', allow('wanted.clear'), async (request) => gateway.clearWanted(request.requester!, request.params.id));

  app.get<{ Querystring: { days?: string } }>('/v1/metrics', allow('metrics.read'), async (request) => {
    const days = request.query.days === undefined ? 14 : Number(request.query.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) throw new ConcordError('BAD_REQUEST', '"days" must be a whole number from 1 to 366', { field: 'days' });
    return gateway.metrics(request.requester!, days);
  });

  app.get('/v1/admin/accounts', allow('accounts.manage'), async (request) => gateway.accounts(request.requester!));
  app.post<{ Body: Record<string, unknown> }>('/v1/admin/agencies', allow('accounts.manage'), async (request, reply) => {
    const body = request.body ?? {};
    const type = requireString(body, 'type');
    if (!AGENCY_TYPES.includes(type as AgencyType)) throw new ConcordError('BAD_REQUEST', `field "type" must be one of ${AGENCY_TYPES.join(', ')}`, { field: 'type' });
    const agency = { ori: requireString(body, 'ori').toUpperCase(), name: requireString(body, 'name'), type: type as AgencyType };
    await gateway.createAgency(request.requester!, agency);
    return reply.status(201).send(agency);
  });
  app.post<{ Body: Record<string, unknown> }>('/v1/admin/users', allow('accounts.manage'), async (request, reply) => {
    const body = request.body ?? {};
    const role = requireString(body, 'role');
    if (!ROLES.includes(role as Role)) throw new ConcordError('BAD_ROLE', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    const created = await gateway.createUser(request.requester!, {
      id: requireString(body, 'id', /^[a-z][a-z0-9._-]{1,39}$/),
      name: requireString(body, 'name'),
      ori: requireString(body, 'ori'),
      role: role as Role,
      password: requireString(body, 'password'),
    });
    return reply.status(201).send(created);
  });
  app.post<{ Body: Record<string, unknown> }>('/v1/admin/clients', allow('accounts.manage'), async (request, reply) => {
    const body = request.body ?? {};
    const role = requireString(body, 'role');
    if (!ROLES.includes(role as Role)) throw new ConcordError('BAD_ROLE', `role must be one of ${ROLES.join(', ')}`, { field: 'role' });
    if (typeof body.publicKey !== 'object' || body.publicKey === null) throw new ConcordError('BAD_REQUEST', 'field "publicKey" must be a JWK object', { field: 'publicKey' });
    const id = requireString(body, 'id', /^[a-z][a-z0-9._-]{1,39}$/);
    await gateway.registerClient(request.requester!, { id, name: requireString(body, 'name'), ori: requireString(body, 'ori'), role: role as Role, publicKey: body.publicKey as JWK });
    return reply.status(201).send({ id, audience: CLIENT_AUDIENCE, maxLifetimeSeconds: 300 });
  });
  app.post<{ Params: { id: string } }>('/v1/admin/clients/:id/deactivate', allow('accounts.manage'), async (request, reply) => {
    await gateway.deactivateClient(request.requester!, request.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/v1/admin/users/:id/deactivate', allow('accounts.manage'), async (request, reply) => {
    await gateway.deactivateUser(request.requester!, request.params.id);
    return reply.status(204).send();
  });

  // Key rotation runs online: new data is sealed under the new key at once, stored data page by page.
  app.post('/v1/admin/keys/rotate', allow('accounts.manage'), async (request) => {
    const result = await system.rotateKeys();
    await gateway.recordKeyRotation(request.requester!, result.keyId, result.resealed, result.refused);
    return result;
  });

  // After an engine upgrade: stored templates an older extractor made are made again from their images.
  app.post('/v1/admin/templates/reextract', allow('accounts.manage'), async (request) => {
    const report = await system.reextractTemplates().catch(async (failed: unknown) => {
      await gateway.recordReextraction(request.requester!, { failed });
      throw failed;
    });
    await gateway.recordReextraction(request.requester!, report);
    return report;
  });

  // The secondary dissemination log: criminal history passed on outside the original exchange.
  app.post<{ Body: Record<string, unknown> }>('/v1/disseminations', allow('history'), async (request, reply) => {
    const body = request.body ?? {};
    if (!isDisseminationMethod(body.method)) throw new ConcordError('BAD_REQUEST', `field "method" must be one of ${DISSEMINATION_METHODS.join(', ')}`, { field: 'method' });
    const entry = await gateway.recordSecondaryDissemination(request.requester!, {
      record: requireString(body, 'record'),
      purpose: typeof body.purpose === 'string' ? body.purpose : undefined,
      requestingAgency: requireString(body, 'requestingAgency', SHORT_TEXT),
      requestingOri: body.requestingOri === undefined ? undefined : requireString(body, 'requestingOri', ORI),
      recipient: requireString(body, 'recipient', SHORT_TEXT),
      method: body.method,
      sharedOn: body.sharedOn === undefined ? undefined : requireDate(body, 'sharedOn'),
    });
    return reply.status(201).send(entry);
  });
  app.get<{ Querystring: { record?: string; ori?: string; limit?: string } }>('/v1/disseminations', allow('audit.read'), async (request) => {
    const { record, ori, limit } = request.query;
    return gateway.searchDisseminations(request.requester!, { record, ori, limit: limit === undefined ? undefined : positiveInteger(limit, 'limit') });
  });

  app.post<{ Body: Record<string, unknown> }>('/v1/redress', allow('redress.open'), async (request, reply) => {
    const body = request.body ?? {};
    if (!isRedressKind(body.kind)) throw new ConcordError('BAD_REQUEST', `field "kind" must be one of ${Object.keys(REDRESS_KINDS).join(', ')}`, { field: 'kind' });
    const opened = await gateway.openRedress(request.requester!, {
      subject: requireString(body, 'subject'),
      kind: body.kind,
      description: requireString(body, 'description'),
      arrestTcn: typeof body.arrestTcn === 'string' && body.arrestTcn ? body.arrestTcn : undefined,
    });
    return reply.status(201).send(opened);
  });
  app.get('/v1/redress', allow('redress.open', 'redress.decide'), async (request) => gateway.redressCases(request.requester!));
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/v1/redress/:id/decision', allow('redress.decide'), async (request) => {
    const outcome = request.body?.outcome;
    if (outcome !== 'corrected' && outcome !== 'declined') throw new ConcordError('BAD_REQUEST', 'field "outcome" must be corrected or declined', { field: 'outcome' });
    return gateway.decideRedress(request.requester!, Number(request.params.id), { outcome, reason: requireString(request.body, 'reason') });
  });

  app.post('/v1/admin/retention/run', allow('accounts.manage'), async (request) => gateway.runRetention(request.requester!, options.retention ?? DEFAULT_RETENTION));

  app.get('/v1/notifications', allow('alerts'), async (request) => gateway.notifications(request.requester!.ori));
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>('/v1/notifications/:id/answer', allow('alerts'), async (request) => {
    const answer = request.body?.answer;
    if (answer !== 'acknowledged' && answer !== 'confirmed' && answer !== 'not_confirmed') {
      throw new ConcordError('BAD_REQUEST', 'field "answer" must be acknowledged, confirmed or not_confirmed', { field: 'answer' });
    }
    const id = Number(request.params.id);
    if (!Number.isInteger(id)) throw new ConcordError('NOT_FOUND', `no alert ${request.params.id}`, {});
    return gateway.answerAlert(request.requester!, id, answer);
  });

  app.get('/v1/audit/verify', allow('audit.read'), async (request) => gateway.verifyAudit(request.requester!));

  app.get<{ Querystring: Record<string, string | undefined> }>('/v1/audit', allow('audit.read'), async (request) => {
    const q = request.query;
    for (const field of ['from', 'to'] as const) {
      if (q[field] && Number.isNaN(Date.parse(q[field]!))) throw new ConcordError('BAD_REQUEST', `"${field}" must be a date or timestamp`, { field });
    }
    return gateway.searchAudit(request.requester!, {
      subject: q.subject || undefined,
      user: q.user || undefined,
      ori: q.ori || undefined,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      disclosuresOnly: q.disclosures === 'true',
      limit: q.limit === undefined ? undefined : positiveInteger(q.limit, 'limit'),
    });
  });

  return app;
}

/**
 * The one finger image of an examiner's request: its template, and the image as the engine saw
 * it (500 ppi gray) as a PNG data URL, since browsers show neither WSQ nor most TIFFs.
 */
async function singleFinger(images: { field: string; bytes: Uint8Array }[]): Promise<{ template: FingerprintTemplate; image: string }> {
  if (images.length !== 1) throw new ConcordError('BAD_REQUEST', 'send exactly one finger image part', { parts: images.length });
  const image = await readFingerprintImage(images[0].bytes, { source: images[0].field });
  return { template: extractTemplate(image), image: await pngDataUrl(image) };
}

async function pngDataUrl(image: Parameters<typeof encodePng>[0]): Promise<string> {
  return `data:image/png;base64,${(await encodePng(image)).toString('base64')}`;
}

/** What a client may know of the signed-in user. */
function userView({ userId, name, ori, role, agencyType }: Requester) {
  return { id: userId, name, ori, role, agencyType };
}

function positiveInteger(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConcordError('BAD_REQUEST', `"${field}" must be a positive whole number`, { field });
  return n;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

function badCharge(index: number): never {
  throw new ConcordError('BAD_REQUEST', `charges[${index}].severity must be felony or misdemeanor`, { field: `charges[${index}].severity` });
}

/** Reads a multipart request: one optional JSON part and the finger image parts. */
async function readMultipart(request: FastifyRequest, jsonPart: string | undefined): Promise<{ json: Record<string, unknown>; images: { field: string; bytes: Uint8Array }[]; photo?: Uint8Array }> {
  if (!request.isMultipart()) throw new ConcordError('BAD_REQUEST', 'expected a multipart/form-data body', {});
  let json: Record<string, unknown> | undefined;
  const images: { field: string; bytes: Uint8Array }[] = [];
  let photo: Uint8Array | undefined;
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'photo') photo = bytes;
        else images.push({ field: part.fieldname, bytes });
      } else if (part.fieldname === jsonPart || (jsonPart === undefined && part.fieldname === 'request')) {
        // A part sent as application/json arrives parsed; as text/plain, as a string.
        json = parseJsonPart(typeof part.value === 'string' ? part.value : JSON.stringify(part.value), part.fieldname);
      } else if (jsonPart === undefined && part.fieldname === 'tcn') {
        json = { ...(json ?? {}), tcn: String(part.value) };
      } else {
        throw new ConcordError('BAD_REQUEST', `unexpected part "${part.fieldname}"`, { part: part.fieldname });
      }
    }
  } catch (error) {
    // The parser's own complaints (a truncated body, a broken boundary) carry no status: the sender's fault, not ours.
    if (error instanceof ConcordError || (error as { statusCode?: number }).statusCode) throw error;
    throw new ConcordError('BAD_REQUEST', `the multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}`, {});
  }
  if (jsonPart && !json) throw new ConcordError('MISSING_PART', `the "${jsonPart}" JSON part is missing`, { part: jsonPart });
  return { json: json ?? {}, images, photo };
}

/** A body of finger images and nothing else. */
async function readFingerImages(request: FastifyRequest): Promise<FingerPayload[]> {
  const { json, images, photo } = await readMultipart(request, undefined);
  const extra = [...Object.keys(json), ...(photo ? ['photo'] : [])];
  if (extra.length > 0) throw new ConcordError('BAD_REQUEST', `unexpected part "${extra[0]}": send finger images only`, { part: extra[0] });
  return fingersFromImages(images, 'search');
}

function toConcordError(error: unknown): ConcordError {
  if (error instanceof ConcordError) return error;
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
    return new ConcordError('PAYLOAD_TOO_LARGE', e.message ?? 'request too large', {});
  }
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new ConcordError('BAD_REQUEST', e.message ?? 'bad request', {});
  return new ConcordError('INTERNAL', 'internal error', {});
}

