import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../demo/demo-identities.ts';
import { multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/**
 * The HTTP layer under generated malformed input: every route of the generated OpenAPI document
 * gets requests that each carry at least one value its schema must refuse (an unknown or
 * malformed query parameter, a malformed path parameter, a body of the wrong shape, a bad
 * multipart part) beside random noise. Every answer must be a 4xx in the API's error shape —
 * never a 5xx, never a success — and the server must stay healthy.
 */
let t: TestSystem;
beforeAll(async () => {
  // High enough that the fuzzing is never slowed to 429s, which would test the limiter instead.
  t = await startTestSystem({}, { rateLimits: { perUserPerMinute: 100_000, perAgencyPerMinute: 100_000 } });
}, 120_000);
afterAll(async () => t?.close());

const RUNS_PER_ROUTE = 25;

interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  /** Properties of the JSON body, for routes that take one. */
  jsonBody?: string[];
  /** Non-file parts of the multipart body, for routes that take one. */
  multipartParts?: string[];
}

/** Values that no field of any schema accepts. */
const surelyBadText = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000`),
  fc.string({ maxLength: 20 }).map((s) => `\u0001${s}`),
  fc.constant('\u0000'),
);

/** Anything at all, valid or not, for noise. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 30 }),
  surelyBadText,
  fc.constant('x'.repeat(70_000)),
  fc.constantFrom('1e99', '99999999999999999999', '-1', '0x10', '5.5', '', ' ', 'C', 'true', '2026-02-30', '\u202e', 'FIN100000001', '4100001AB'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

const queryJunk = fc.oneof(fc.string({ maxLength: 20 }), surelyBadText, fc.constantFrom('1e99', '99999999999999999999', '5.5', '', 'C', 'Z', 'true', '2026-13-01'));

type Flaw = 'unknown-query' | 'bad-query' | 'bad-path' | 'bad-json' | 'bad-multipart';

function flawsOf(op: Operation): Flaw[] {
  return [
    'unknown-query',
    ...(op.queryParams.length ? (['bad-query'] as const) : []),
    ...(op.pathParams.length ? (['bad-path'] as const) : []),
    ...(op.jsonBody ? (['bad-json'] as const) : []),
    ...(op.multipartParts ? (['bad-multipart'] as const) : []),
  ];
}

interface Generated {
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

function requestFor(op: Operation): fc.Arbitrary<Generated> {
  return fc
    .record({
      flaws: fc.subarray(flawsOf(op), { minLength: 1 }),
      badPath: fc.oneof(surelyBadText, fc.string({ minLength: 101, maxLength: 300 }).map((s) => `9${s}`)),
      pathNoise: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('1', '4100001AB', 'W1', 'booking', '0', '1e3')),
      badQuery: fc.record({ name: fc.constantFrom(...(op.queryParams.length ? op.queryParams : ['q'])), value: fc.oneof(surelyBadText, fc.array(fc.string({ maxLength: 5 }), { minLength: 2, maxLength: 3 })) }),
      queryNoise: fc.dictionary(fc.constantFrom(...(op.queryParams.length ? op.queryParams : ['q'])), queryJunk, { maxKeys: op.queryParams.length }),
      unknownQuery: fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), queryJunk),
      jsonBadShape: fc.oneof(fc.array(junk, { maxLength: 3 }), fc.integer(), fc.string({ maxLength: 10 }), fc.constant('extra-field')),
      jsonFields: fc.dictionary(fc.constantFrom(...(op.jsonBody?.length ? op.jsonBody : ['x'])), junk, { maxKeys: 6 }),
      multipartFlaw: fc.constantFrom('extra-field', 'not-json', 'stray-part', 'not-multipart', 'array'),
      files: fc.array(fc.record({ name: fc.constantFrom('finger_2', 'finger_7', 'finger_11', 'photo', 'probe'), bytes: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 2 }),
    })
    .map((g): Generated => {
      const flaws = new Set(g.flaws);
      const path = op.path.replace(/\{(\w+)\}/g, () => encodeURIComponent(flaws.has('bad-path') ? g.badPath : g.pathNoise));
      const query = new URLSearchParams();
      for (const [name, value] of Object.entries(g.queryNoise)) query.append(name, value);
      if (flaws.has('bad-query')) {
        query.delete(g.badQuery.name);
        for (const value of [g.badQuery.value].flat()) query.append(g.badQuery.name, value);
      }
      if (flaws.has('unknown-query')) query.append(`zz${g.unknownQuery[0]}`, g.unknownQuery[1]);
      const url = `${path}${query.size ? `?${query}` : ''}`;
      if (op.jsonBody) {
        const body = flaws.has('bad-json') ? (g.jsonBadShape === 'extra-field' ? { ...g.jsonFields, zzUnknown: 1 } : g.jsonBadShape) : g.jsonFields;
        return { url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) };
      }
      if (op.multipartParts) {
        const jsonPart = op.multipartParts[0] ?? 'request';
        const files = g.files.map((f) => ({ name: f.name, file: f.bytes }));
        if (flaws.has('bad-multipart') && g.multipartFlaw === 'not-multipart') return { url, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(g.jsonFields) };
        const parts: Parameters<typeof multipart>[0] = [];
        if (!flaws.has('bad-multipart')) parts.push({ name: jsonPart, json: g.jsonFields });
        else if (g.multipartFlaw === 'extra-field') parts.push({ name: jsonPart, json: { ...g.jsonFields, zzUnknown: 1 } });
        else if (g.multipartFlaw === 'array') parts.push({ name: jsonPart, json: [g.jsonFields] });
        else if (g.multipartFlaw === 'not-json') parts.push({ name: jsonPart, text: '{"tcn": ' });
        else parts.push({ name: 'zzstray', text: 'x' });
        const { body, contentType } = multipart([...parts, ...files]);
        return { url, headers: { 'content-type': contentType }, payload: body };
      }
      if (op.method === 'POST' || op.method === 'DELETE') {
        // A route without a body (or a binary one) still gets a body to ignore or refuse.
        return { url, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.from(JSON.stringify(g.jsonFields)) };
      }
      return { url, headers: {} };
    });
}

function operationsOf(doc: { paths: Record<string, Record<string, any>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]): Operation => {
      const parameters: { name: string; in: string }[] = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      const form = content['multipart/form-data']?.schema;
      const isObject = json?.type === 'object';
      return {
        method: method.toUpperCase(),
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        jsonBody: json ? (isObject ? Object.keys(json.properties ?? {}) : []) : undefined,
        multipartParts: form ? Object.entries(form.properties ?? {}).filter(([, schema]: [string, any]) => schema.format !== 'binary').map(([name]) => name) : undefined,
      };
    }),
  );
}

describe('HTTP fuzzing', () => {
  it('answers generated malformed requests on every route with a 4xx in the API error shape, and stays healthy', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(30);
    for (const op of operations) {
      // A caller the route's access check lets through, so that the schema is what refuses.
      const token = await tokenFor(op);
      await fc.assert(
        fc.asyncProperty(requestFor(op), async (generated) => {
          const response = await t.app.inject({
            method: op.method as 'GET' | 'POST' | 'DELETE',
            url: generated.url,
            payload: generated.payload,
            headers: { ...generated.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
          });
          const what = `${op.method} ${generated.url.slice(0, 200)} → ${response.statusCode} ${response.body.slice(0, 300)}`;
          expect(response.statusCode, what).toBeGreaterThanOrEqual(400);
          expect(response.statusCode, what).toBeLessThan(500);
          expect(response.json().error, what).toMatchObject({ code: expect.any(String), message: expect.any(String), where: expect.any(Object) });
        }),
        { numRuns: RUNS_PER_ROUTE, seed: 20261204 },
      );
    }
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect([health.statusCode, health.json().status]).toEqual([200, 'ok']);
  }, 120_000);
});

/** The first demo user whose role passes the route's access check (none for public routes). */
async function tokenFor(op: Operation): Promise<string | undefined> {
  if (!op.path.startsWith('/v1/')) return undefined;
  for (const user of DEMO_USERS) {
    const token = t.tokens[user.id];
    const probe = await t.app.inject({ method: op.method as 'GET', url: `${op.path.replace(/\{\w+\}/g, 'x')}?zzprobe=1`, headers: { authorization: `Bearer ${token}` } });
    if (probe.statusCode !== 403) return token;
  }
  throw new Error(`no demo user may call ${op.method} ${op.path}`);
}
