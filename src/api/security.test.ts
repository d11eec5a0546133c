import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { PERMISSIONS, type Action, type Role } from '../gateway/access.ts';
import { DEMO_USERS } from '../demo/demo-identities.ts';
import { fixturePrint, multipart, useTestSystem } from '../testing/test-system.ts';
import { isConcordError } from '../shared/errors.ts';
import { FAILED_CREDENTIALS_PER_MINUTE } from '../gateway/rate-limit.ts';
import { fingersFromImages } from './fingerprint-parts.ts';

/** Every role against every route, bad credentials, injection and oversized bodies. */
const t = useTestSystem();

const ROUTES: { method: 'GET' | 'POST' | 'DELETE'; url: string; actions: Action[] }[] = [
  { method: 'POST', url: '/v1/encounters', actions: ['enroll'] },
  { method: 'POST', url: '/v1/faces/check', actions: ['enroll'] },
  { method: 'POST', url: '/v1/bookings', actions: ['book'] },
  { method: 'POST', url: '/v1/identify', actions: ['identify'] },
  { method: 'GET', url: '/v1/subjects/4100001AB/history?purpose=C', actions: ['history'] },
  { method: 'POST', url: '/v1/history?purpose=C', actions: ['history'] },
  { method: 'POST', url: '/v1/disseminations', actions: ['history'] },
  { method: 'GET', url: '/v1/disseminations', actions: ['audit.read'] },
  { method: 'POST', url: '/v1/wanted', actions: ['wanted.enter'] },
  { method: 'DELETE', url: '/v1/wanted/W9999', actions: ['wanted.clear'] },
  { method: 'GET', url: '/v1/audit', actions: ['audit.read'] },
  { method: 'GET', url: '/v1/audit/verify', actions: ['audit.read'] },
  { method: 'POST', url: '/v1/audit/repairs', actions: ['audit.repair'] },
  { method: 'POST', url: '/v1/ebts', actions: ['book', 'identify'] },
  { method: 'POST', url: '/v1/minutiae', actions: ['enroll', 'book', 'identify'] },
  { method: 'GET', url: '/v1/metrics', actions: ['metrics.read'] },
  { method: 'POST', url: '/v1/compare', actions: ['identify'] },
  { method: 'GET', url: '/v1/admin/accounts', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/users', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/keys/rotate', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/templates/reextract', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/retention/run', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/clients', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/admin/agencies', actions: ['accounts.manage'] },
  { method: 'POST', url: '/v1/redress', actions: ['redress.open'] },
  { method: 'GET', url: '/v1/redress', actions: ['redress.open', 'redress.decide'] },
  { method: 'POST', url: '/v1/redress/1/decision', actions: ['redress.decide'] },
];

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token?: string, extra: { payload?: string | Buffer; headers?: Record<string, string> } = {}) =>
  t.app.inject({ method, url, payload: extra.payload, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra.headers } });

async function auditCount(): Promise<number> {
  return Number((await t.system.databases.gateway!.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
}

describe('each role on each route', () => {
  for (const user of DEMO_USERS) {
    it(`${user.role}: allowed routes pass the access check, the others get 403 and an audited refusal`, async () => {
      for (const route of ROUTES) {
        const allowed = route.actions.some((action) => PERMISSIONS[user.role as Role].includes(action));
        const before = await auditCount();
        const response = await call(route.method, route.url, t.tokens[user.id], route.method === 'POST' ? { payload: '{}', headers: { 'content-type': 'application/json' } } : {});
        if (allowed) {
          expect(response.statusCode, `${user.role} ${route.method} ${route.url}: ${response.body}`).not.toBe(403);
        } else {
          expect([response.statusCode, response.json().error.code], `${user.role} ${route.method} ${route.url}`).toEqual([403, 'FORBIDDEN']);
          expect(await auditCount()).toBe(before + 1);
        }
      }
    });
  }
});

describe('credentials', () => {
  it('refuses a missing, tampered or unknown token with 401, and audits the attempt', async () => {
    const before = await auditCount();
    for (const token of [undefined, `${t.tokens.booking}x`, 'cct_not-a-token', 'ccs_not-a-session', "' OR '1'='1"]) {
      const response = await call('POST', '/v1/identify', token);
      expect([response.statusCode, response.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    expect(await auditCount()).toBe(before + 5);
  });

  it('refuses a client address that keeps presenting bad tokens, without writing a record per attempt', async () => {
    const guess = (k: number, token = `cct_guess-${k}`) =>
      t.app.inject({ method: 'GET', url: '/v1/me', remoteAddress: '127.0.0.9', headers: { authorization: `Bearer ${token}` } });
    const before = await auditCount();
    for (let k = 0; k < FAILED_CREDENTIALS_PER_MINUTE; k++) expect((await guess(k)).statusCode).toBe(401);
    for (let k = 0; k < 20; k++) {
      const refused = await guess(k);
      expect([refused.statusCode, refused.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    }
    // Even a good token from that address waits out the minute; other addresses are not affected.
    expect((await guess(0, t.tokens.booking)).statusCode).toBe(429);
    expect((await call('GET', '/v1/me', t.tokens.booking)).statusCode).toBe(200);
    expect(await auditCount()).toBe(before + FAILED_CREDENTIALS_PER_MINUTE + 1); // each failure, and the throttle once
    const [throttled] = await t.system.databases.gateway!.query<{ client: string }>(`SELECT client FROM audit_log WHERE event = 'logon.throttled'`);
    expect(throttled.client).toBe('127.0.0.9');
  });
});

describe('hostile input', () => {
  it('authenticates by the matched route, so a percent-encoded path gains nothing', async () => {
    const sneaky = await call('POST', '/%761/admin/keys/rotate');
    expect([401, 404]).toContain(sneaky.statusCode);
    expect((await call('GET', '/%761/audit/verify')).statusCode).not.toBe(200);
  });

  it('answers a repeated TCN only to its sender, for the same kind of transaction', async () => {
    const { body, contentType } = multipart([{ name: 'tcn', text: 'SEC-TCN-1' }]);
    const first = await t.app.inject({ method: 'POST', url: '/v1/identify?purpose=C', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.field}` } });
    expect(first.statusCode).toBe(400); // no prints: refused before anything is stored
    const booking = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'SEC-CAR-1', purpose: 'C', name: { family: 'TCN', given: 'TEST' }, dob: '1980-01-01', sex: 'M', dateOfArrest: '2026-11-01', charges: [{ literal: 'THEFT', severity: 'felony' }] } },
      { name: 'finger_2', file: fixturePrint('101_1') },
      { name: 'finger_7', file: fixturePrint('102_1') },
    ]);
    expect(booking.statusCode, booking.body).toBe(200);
    const stolen = await t.post('/v1/identify?purpose=C', 'field', [{ name: 'tcn', text: 'SEC-CAR-1' }, { name: 'finger_2', file: fixturePrint('101_2') }, { name: 'finger_7', file: fixturePrint('102_2') }]);
    expect([stolen.statusCode, stolen.json().error.code]).toEqual([409, 'DUPLICATE_TCN']);
  });

  /** Holds every repository request until released, so a second submission arrives mid-search. */
  function holdRepositories(): () => void {
    const bus = t.system.bus;
    const request = bus.request.bind(bus);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    bus.request = (async (...args: Parameters<typeof bus.request>) => {
      await held;
      return request(...args);
    }) as typeof bus.request;
    const unhold = () => {
      release();
      bus.request = request;
    };
    onTestFinished(unhold); // a failing test must not leave the next ones held
    return unhold;
  }

  /** Waits until a submission has claimed `tcn` (its row exists) at a time `fresh` accepts, so what follows cannot overtake it. */
  function claimed(tcn: string, fresh: (renewedAt: string) => boolean = () => true): Promise<void> {
    return vi.waitFor(
      async () => {
        const [row] = await t.system.databases.gateway!.query<{ claim_renewed_at: string }>('SELECT claim_renewed_at FROM transactions WHERE tcn = $1', [tcn]);
        if (!row || !fresh(row.claim_renewed_at)) throw new Error(`TCN ${tcn} is not claimed yet`);
      },
      { timeout: 2000, interval: 10 },
    );
  }

  async function identifyRequest(tcn: string) {
    const gateway = t.system.gateway!;
    const fingers = await fingersFromImages([{ field: 'finger_2', bytes: fixturePrint('104_1') }, { field: 'finger_7', bytes: fixturePrint('105_1') }], 'search');
    return { gateway, field: await gateway.authenticate(t.tokens.field), request: { tcn, purpose: 'C', fingers } };
  }

  // The field officer's demo token belongs to a demo system, which acts as client:demo-field.
  const eventsOf = async (tcn: string) =>
    ((await call('GET', '/v1/audit?user=client:demo-field&limit=500', t.tokens.privacy)).json() as { event: string; tcn?: string }[]).filter((e) => e.tcn === tcn).map((e) => e.event);

  it('runs a new TCN once when two submissions of it race', async () => {
    const { gateway, field, request } = await identifyRequest('SEC-RACE-1');
    const release = holdRepositories();
    // Either may claim first (on PostgreSQL they run on two connections): the other is refused at once.
    const both = [gateway.identify(field, request), gateway.identify(field, request)].map((answer) => answer.catch((error: unknown) => error));
    const loser = await Promise.race(both);
    expect(isConcordError(loser, 'TCN_IN_PROGRESS')).toBe(true);
    release();
    const answers = (await Promise.all(both)).filter((outcome) => !isConcordError(outcome, 'TCN_IN_PROGRESS'));
    expect(answers).toHaveLength(1);
    expect(await gateway.identify(field, request)).toEqual(answers[0]);
    // The loser's TCN_IN_PROGRESS is a refusal, audited like any other.
    expect((await eventsOf('SEC-RACE-1')).sort()).toEqual(['identify.answer', 'identify.refused', 'identify.repeat']);
  });

  it('lets a stale claim be taken over, after which its first owner can neither answer nor release it', async () => {
    const { gateway, field, request } = await identifyRequest('SEC-STALE-1');
    const release = holdRepositories();
    const first = gateway.identify(field, request).catch((error: unknown) => error);
    await claimed('SEC-STALE-1'); // the first has claimed the TCN and waits on the repositories
    // As if its process had died long ago: the claim has not been renewed since.
    await t.system.databases.gateway!.query(`UPDATE transactions SET claim_renewed_at = '2000-01-01T00:00:00.000Z' WHERE tcn = $1`, ['SEC-STALE-1']);
    const second = gateway.identify(field, request);
    // Released only once the second submission has taken the claim over.
    await claimed('SEC-STALE-1', (renewedAt) => !renewedAt.startsWith('2000'));
    release();
    const [lost, won] = await Promise.all([first, second]);
    expect(isConcordError(lost, 'TCN_IN_PROGRESS')).toBe(true);
    expect(await gateway.identify(field, request)).toEqual(won);
    expect((await eventsOf('SEC-STALE-1')).sort()).toEqual(['identify.answer', 'identify.refused', 'identify.repeat']);
  });

  it('treats SQL in identifiers and filters as data', async () => {
    const injection = encodeURIComponent("4100001AB'; DROP TABLE users; --");
    // An identifier is refused at the edge by its format; a free-text filter reaches the database as data.
    const history = await call('GET', `/v1/subjects/${injection}/history?purpose=C`, t.tokens.fbi);
    expect([history.statusCode, history.json().error.code, history.json().error.where.field]).toEqual([400, 'BAD_REQUEST', 'id']);
    const user = await call('GET', `/v1/audit?user=${encodeURIComponent("x' OR '1'='1")}`, t.tokens.privacy);
    expect([user.statusCode, user.json().error.where.field]).toEqual([400, 'user']);
    const search = await call('GET', `/v1/audit?user=field&subject=${injection}`, t.tokens.privacy);
    expect([search.statusCode, search.json()]).toEqual([200, []]);
    expect((await call('GET', '/v1/me', t.tokens.booking)).statusCode).toBe(200); // users table still there
  });

  it('refuses oversized bodies with 413 and malformed ones with 400', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 0x41);
    const ebts = await call('POST', '/v1/ebts', t.tokens.booking, { payload: big, headers: { 'content-type': 'application/octet-stream' } });
    expect([ebts.statusCode, ebts.json().error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const json = await call('POST', '/auth/sign-in', undefined, { payload: '{"user": "booking", ', headers: { 'content-type': 'application/json' } });
    expect(json.statusCode).toBe(400);
    const purpose = await call('GET', '/v1/subjects/4100001AB/history?purpose=Z', t.tokens.booking);
    expect([purpose.statusCode, purpose.json().error.code]).toEqual([400, 'BAD_PURPOSE']);
  });
});
