import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';
import { describeApi, routeTable, type ApiDocument } from './api-document.ts';

/** Every route's declared schema, checked at the edge; and the OpenAPI document generated from them. */
const t = useTestSystem();

const today = new Date().toISOString().slice(0, 10);
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, user?: string, payload?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({
    method,
    url,
    payload: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
    headers: { ...(user ? { authorization: `Bearer ${t.tokens[user]}` } : {}), ...(payload !== undefined && !headers['content-type'] ? { 'content-type': 'application/json' } : {}), ...headers },
  });

/** The answer's status, error code and the field it names. */
async function refusal(response: Promise<{ statusCode: number; json(): any }>): Promise<[number, string, unknown]> {
  const answer = await response;
  const body = answer.json();
  return [answer.statusCode, body.error?.code, body.error?.where?.field];
}

const wanted = (overrides: Record<string, unknown> = {}) => ({ fbiNumber: '4100001AB', warrantNo: 'W-1', offense: 'ROBBERY', dateOfWarrant: '2026-11-01', extradition: 'none', ...overrides });

const booking = (overrides: Record<string, unknown> = {}) => ({
  tcn: `SCH-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`,
  purpose: 'C',
  name: { family: 'STRICT', given: 'VAL' },
  dob: '1980-01-01',
  sex: 'M',
  dateOfArrest: today,
  charges: [{ literal: 'THEFT', severity: 'misdemeanor' }],
  ...overrides,
});
const book = (json: unknown, text?: string) => t.post('/v1/bookings', 'booking', [text === undefined ? { name: 'booking', json } : { name: 'booking', text }, { name: 'finger_2', file: fixturePrint('101_1') }]);

describe('strict values at the edge', () => {
  it('refuses a repeated query parameter, an unknown one and a malformed path id with 400 naming the field', async () => {
    expect(await refusal(call('GET', '/v1/subjects/4100001AB/history?purpose=C&purpose=J', 'booking'))).toEqual([400, 'BAD_REQUEST', 'purpose']);
    expect(await refusal(call('GET', '/v1/subjects/4100001AB/history?purpose=C&debug=1', 'booking'))).toEqual([400, 'BAD_REQUEST', 'debug']);
    expect(await refusal(call('GET', '/v1/subjects/4100009AB%00/history?purpose=C', 'booking'))).toEqual([400, 'BAD_REQUEST', 'id']);
    expect(await refusal(call('GET', '/v1/me?x=1', 'booking'))).toEqual([400, 'BAD_REQUEST', 'x']);
  });

  it('refuses NUL and control characters, wrong types and unknown fields in JSON bodies (F13)', async () => {
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ fbiNumber: '41\u0000' })))).toEqual([400, 'BAD_REQUEST', 'fbiNumber']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ offense: 'ROB\u0000BERY' })))).toEqual([400, 'BAD_REQUEST', 'offense']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ offense: 'ROB\u202eBERY' })))).toEqual([400, 'BAD_REQUEST', 'offense']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ warrantNo: 42 })))).toEqual([400, 'BAD_REQUEST', 'warrantNo']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ offense: ['ROBBERY'] })))).toEqual([400, 'BAD_REQUEST', 'offense']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ extradition: 'some' })))).toEqual([400, 'BAD_REQUEST', 'extradition']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ admin: true })))).toEqual([400, 'BAD_REQUEST', 'admin']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ dateOfWarrant: '2026-02-30' })))).toEqual([400, 'BAD_REQUEST', 'dateOfWarrant']);
    expect(await refusal(call('POST', '/v1/wanted', 'booking', wanted({ dateOfWarrant: tomorrow })))).toEqual([400, 'BAD_REQUEST', 'dateOfWarrant']);
    expect(await refusal(call('POST', '/v1/redress', 'privacy', { subject: 'FIN1\u0000', kind: 'record_challenge', description: 'x' }))).toEqual([400, 'BAD_REQUEST', 'subject']);
    expect(await refusal(call('POST', '/auth/sign-in', undefined, { user: 'booking\u0000', password: 'p', code: '123456' }))).toEqual([400, 'BAD_REQUEST', 'user']);
    expect(await refusal(call('POST', '/auth/sign-in', undefined, { user: 'U'.repeat(900_000), password: 'p', code: '123456' }))).toEqual([400, 'BAD_REQUEST', 'user']);
    expect(await refusal(call('GET', '/v1/audit?user=%00', 'privacy'))).toEqual([400, 'BAD_REQUEST', 'user']);
    expect(await refusal(call('GET', '/v1/audit?subject=%00', 'privacy'))).toEqual([400, 'BAD_REQUEST', 'subject']);
    expect(await refusal(call('GET', '/v1/disseminations?record=%00', 'privacy'))).toEqual([400, 'BAD_REQUEST', 'record']);
    expect(await refusal(call('GET', '/v1/disseminations?ori=%00', 'privacy'))).toEqual([400, 'BAD_REQUEST', 'ori']);
  });

  it('refuses out-of-range and non-decimal numbers in paths and queries (F13)', async () => {
    for (const id of ['1e99', '99999999999999999999', '-1', '0x10', '1.5']) {
      expect(await refusal(call('POST', `/v1/redress/${id}/decision`, 'ice', { outcome: 'declined', reason: 'r' })), id).toEqual([400, 'BAD_REQUEST', 'id']);
      expect(await refusal(call('POST', `/v1/notifications/${id}/answer`, 'booking', { answer: 'acknowledged' })), id).toEqual([400, 'BAD_REQUEST', 'id']);
    }
    for (const days of ['0', '367', '5.5', ' 7', '7&days=8']) expect(await refusal(call('GET', `/v1/metrics?days=${days}`, 'admin')), days).toEqual([400, 'BAD_REQUEST', 'days']);
    expect((await call('GET', '/v1/metrics?days=7', 'admin')).statusCode).toBe(200);
  });

  it('checks the booking part against its schema: charges, dispositions, real dates within range (F8, F13)', async () => {
    expect(await refusal(book(booking({ dispositions: [null] })))).toEqual([400, 'BAD_REQUEST', 'dispositions.0']);
    expect(await refusal(book(booking({ charges: [{ literal: 'THEFT\u0000X', severity: 'felony' }] })))).toEqual([400, 'BAD_REQUEST', 'charges.0.literal']);
    expect(await refusal(book(booking({ charges: [{ literal: 'THEFT', severity: 'infraction' }] })))).toEqual([400, 'BAD_REQUEST', 'charges.0.severity']);
    expect(await refusal(book(booking({ charges: [] })))).toEqual([400, 'BAD_REQUEST', 'charges']);
    expect(await refusal(book(booking({ dispositions: [{ court: 'Dallas County', date: '2026-02-30', outcome: 'pending' }] })))).toEqual([400, 'BAD_REQUEST', 'dispositions.0.date']);
    expect(await refusal(book(booking({ dispositions: [{ court: 'Dallas County', date: '2026-01-05', outcome: 'guilty' }] })))).toEqual([400, 'BAD_REQUEST', 'dispositions.0.outcome']);
    expect(await refusal(book(booking({ dob: '1899-12-31' })))).toEqual([400, 'BAD_REQUEST', 'dob']);
    expect(await refusal(book(booking({ dob: tomorrow })))).toEqual([400, 'BAD_REQUEST', 'dob']);
    expect(await refusal(book(booking({ dob: '2024-02-30' })))).toEqual([400, 'BAD_REQUEST', 'dob']);
    expect(await refusal(book(booking({ shoeSize: 9 })))).toEqual([400, 'BAD_REQUEST', 'shoeSize']);
    expect(await refusal(book(['not', 'an', 'object']))).toEqual([400, 'BAD_REQUEST', '']);
    expect(await refusal(book(undefined, '{"tcn": '))).toEqual([400, 'BAD_JSON', undefined]);
    const refused = (await book(booking({ dispositions: [null] }))).json();
    expect(refused.error.where).toEqual({ field: 'dispositions.0', part: 'booking' });
  });

  it('checks the request part of a comparison (F13)', async () => {
    const compare = (request: unknown) => t.post('/v1/compare', 'field', [{ name: 'request', json: request }, { name: 'finger_2', file: fixturePrint('101_1') }]);
    expect(await refusal(compare({ subject: 'FIN1\u0000', position: 2 }))).toEqual([400, 'BAD_REQUEST', 'subject']);
    expect(await refusal(compare({ subject: 'FIN100000001', position: '2' }))).toEqual([400, 'BAD_REQUEST', 'position']);
    expect(await refusal(compare({ subject: 'FIN100000001', position: 11 }))).toEqual([400, 'BAD_REQUEST', 'position']);
  });

  it("answers the framework's own refusals in the API's error shape, without echoing the request (F13)", async () => {
    const long = await call('GET', `/v1/subjects/${'9'.repeat(5000)}/history?purpose=C`, 'booking');
    expect(long.statusCode).toBe(400);
    expect(long.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'a path parameter is too long', where: {} } });
    const media = await call('POST', '/v1/wanted', 'booking', 'x', { 'content-type': 'application/x-evil<script>' });
    expect(media.statusCode).toBe(400);
    expect(media.json().error.code).toBe('BAD_REQUEST');
    expect(media.body).not.toContain('script');
    const broken = await call('POST', '/v1/wanted', 'booking', '{"fbiNumber": ');
    expect([broken.statusCode, broken.json().error.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('does not name the image library when an image cannot be decoded (F13)', async () => {
    // A truncated PNG: its header reads, its data does not.
    const response = await t.post('/v1/identify', 'field', [{ name: 'finger_2', file: fixturePrint('101_1').subarray(0, 400) }]);
    expect([response.statusCode, response.json().error.code]).toEqual([422, 'CORRUPT_IMAGE']);
    expect(response.json().error.message).not.toMatch(/vips|libpng|sharp|png:/i);
  });

  it('still accepts well-formed requests', async () => {
    const booked = await book(booking({ dob: '2000-02-29', dispositions: [{ court: 'Dallas County', date: today, outcome: 'pending' }], charges: [{ literal: 'THEFT', severity: 'felony', ncicOffenseCode: '2399', level: 2 }] }));
    expect(booked.statusCode, booked.body).toBe(200);
    expect((await call('GET', '/v1/audit?user=booking&from=2026-01-01&to=2026-12-31T23:59:59Z&disclosures=true&limit=5', 'privacy')).statusCode).toBe(200);
  });
});

describe('the OpenAPI document', () => {
  const document = async () => (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json() as ApiDocument & Record<string, any>;

  it('is OpenAPI 3 in shape and lists every route the server answers, and nothing more', async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Concord', version: expect.any(String) });
    for (const [path, operations] of Object.entries(doc.paths)) {
      expect(path).toMatch(/^\/[\w{}/.-]*$/);
      for (const [method, operation] of Object.entries(operations as Record<string, any>)) {
        expect(['get', 'post', 'delete', 'put', 'patch']).toContain(method);
        expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
        expect(Object.keys(operation.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const parameter of operation.parameters ?? []) {
          expect(['query', 'path', 'header'], `${method} ${path}`).toContain(parameter.in);
          expect(parameter).toMatchObject({ name: expect.any(String), schema: expect.any(Object) });
          if (parameter.in === 'path') expect(path).toContain(`{${parameter.name}}`);
        }
      }
    }
    const documented = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`));
    // The portal's files aside, which are pages, not API.
    const served = servedRoutes(t.app.printRoutes({ commonPrefix: false })).filter((route) => !/^GET \/(\*|portal\/\*)?$/.test(route));
    expect(documented.sort()).toEqual(served.sort());
  });

  it('describes the JSON parts of multipart bodies with the schemas they are checked against', async () => {
    const doc = await document();
    const booking = doc.paths['/v1/bookings'].post.requestBody!.content['multipart/form-data'] as any;
    expect(booking.schema.properties.booking.properties.charges).toMatchObject({ type: 'array', minItems: 1 });
    expect(booking.schema.properties.finger_10).toMatchObject({ type: 'string', format: 'binary' });
  });

  it("is what the README's route table is made from", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(routeTable(await document()));
  });

  it('is the same document without a running system (npm run api-doc)', async () => {
    expect(routeTable(await describeApi())).toBe(routeTable(await document()));
  });
});

/** "METHOD /path" for each route in Fastify's printed route tree (HEAD, which GET implies, left out). */
function servedRoutes(tree: string): string[] {
  const prefixes: string[] = [];
  return tree.split('\n').flatMap((line) => {
    const match = /^([│ ]*)[└├]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) return [];
    const depth = match[1].length / 4;
    const path = `${depth === 0 ? '' : prefixes[depth - 1]}${depth === 1 ? '/' : ''}${match[2]}`.replace(/\/\/+/g, '/');
    prefixes[depth] = path;
    return match[3].split(', ').filter((method) => method !== 'HEAD').map((method) => `${method} ${path}`);
  });
}
