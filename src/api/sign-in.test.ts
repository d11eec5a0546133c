import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { useTestSystem } from '../testing/test-system.ts';

/** Interactive sign-in (password + RFC 6238 code), lockout and the idle lock, on a clock the test moves. */
let clock = Date.parse('2026-11-25T09:00:00Z');
const t = useTestSystem({ now: () => new Date(clock) });

const codeFor = (user: string, at = clock) => generate({ secret: t.totpSecrets[user], epoch: Math.floor(at / 1000) });
const signIn = (body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: body });
const me = (token: string) => t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
const advance = (ms: number) => (clock += ms);

describe('signing in', () => {
  it('opens a session with the right password and code, and the session acts as its user', async () => {
    const response = await signIn({ user: 'booking', password: DEMO_PASSWORD, code: await codeFor('booking') });
    expect(response.statusCode, response.body).toBe(200);
    const { token, user, idleLockSeconds } = response.json();
    expect(user).toEqual({ id: 'booking', name: 'Deputy Walsh', ori: 'TX0570000', role: 'booking_officer', agencyType: 'local' });
    expect(idleLockSeconds).toBe(1800);
    expect((await me(token)).json()).toMatchObject({ id: 'booking', role: 'booking_officer' });
  });

  it('says the same thing for a wrong password, a wrong code and an unknown user', async () => {
    advance(60_000);
    const answers = await Promise.all([
      signIn({ user: 'fbi', password: 'not the password', code: await codeFor('fbi') }),
      signIn({ user: 'fbi', password: DEMO_PASSWORD, code: '000000' }),
      signIn({ user: 'nobody', password: DEMO_PASSWORD, code: '123456' }),
    ]);
    for (const answer of answers) expect([answer.statusCode, answer.json().error.code]).toEqual([401, 'SIGN_IN_FAILED']);
    expect(new Set(answers.map((a) => a.json().error.message)).size).toBe(1);
  });

  it('refuses a one-time code used once already', async () => {
    advance(60_000);
    const code = await codeFor('ice');
    expect((await signIn({ user: 'ice', password: DEMO_PASSWORD, code })).statusCode).toBe(200);
    expect((await signIn({ user: 'ice', password: DEMO_PASSWORD, code })).json().error.code).toBe('SIGN_IN_FAILED');
  });

  it('locks an account for ten minutes after five failures, even against the right credentials', async () => {
    advance(60_000);
    for (let i = 0; i < 5; i++) await signIn({ user: 'port', password: `wrong ${i}`, code: '111111' });
    const locked = await signIn({ user: 'port', password: DEMO_PASSWORD, code: await codeFor('port') });
    expect([locked.statusCode, locked.json().error.code]).toEqual([423, 'ACCOUNT_LOCKED']);
    advance(10 * 60_000 + 1000);
    expect((await signIn({ user: 'port', password: DEMO_PASSWORD, code: await codeFor('port') })).statusCode).toBe(200);
  });

  it('counts parallel failures one by one: a burst of guesses locks the account too', async () => {
    advance(60_000);
    await Promise.all(Array.from({ length: 6 }, (_, i) => signIn({ user: 'fbi', password: `guess ${i}`, code: '222222' })));
    const locked = await signIn({ user: 'fbi', password: DEMO_PASSWORD, code: await codeFor('fbi') });
    expect(locked.json().error.code).toBe('ACCOUNT_LOCKED');
  });

  it('locks a session idle for 30 minutes and ends it at sign-out', async () => {
    advance(60_000);
    const { token } = (await signIn({ user: 'field', password: DEMO_PASSWORD, code: await codeFor('field') })).json();
    advance(29 * 60_000);
    expect((await me(token)).statusCode).toBe(200);
    advance(31 * 60_000);
    const idle = await me(token);
    expect([idle.statusCode, idle.json().error.code]).toEqual([401, 'SESSION_LOCKED']);
    advance(60_000);
    const second = (await signIn({ user: 'field', password: DEMO_PASSWORD, code: await codeFor('field') })).json().token;
    expect((await t.app.inject({ method: 'POST', url: '/v1/sign-out', headers: { authorization: `Bearer ${second}` } })).statusCode).toBe(204);
    expect((await me(second)).statusCode).toBe(401);
  });

  it('audits every sign-in and never stores a password or code', async () => {
    const rows = await t.system.databases.gateway!.query<{ event: string; outcome: string; row: string }>(`SELECT event, outcome, row_to_json(audit_log)::text AS row FROM audit_log WHERE event LIKE 'sign_%'`);
    expect(rows.some((r) => r.event === 'sign_in' && r.outcome === 'success')).toBe(true);
    expect(rows.some((r) => r.event === 'sign_in.ACCOUNT_LOCKED')).toBe(true);
    expect(rows.filter((r) => r.row.includes(DEMO_PASSWORD) || r.row.includes('not the password'))).toEqual([]);
    const users = await t.system.databases.gateway!.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE id = 'booking'`);
    expect(users[0].password_hash).toMatch(/^\$argon2id\$/);
  });
});

describe('lockout per account and client address (security review F4)', () => {
  const from = (address: string, body: Record<string, unknown>) => t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: body, remoteAddress: address });
  const answer = (response: Awaited<ReturnType<typeof signIn>>) => [response.statusCode, response.json().error?.code, response.json().error?.message];

  it("does not let an outsider's failures at one address stop the user signing in from another", async () => {
    advance(60_000);
    for (let i = 0; i < 8; i++) await from('203.0.113.7', { user: 'privacy', password: `guess ${i}`, code: '123456' });
    const outsider = await from('203.0.113.7', { user: 'privacy', password: DEMO_PASSWORD, code: await codeFor('privacy') });
    expect(answer(outsider).slice(0, 2)).toEqual([423, 'ACCOUNT_LOCKED']);
    const user = await from('198.51.100.20', { user: 'privacy', password: DEMO_PASSWORD, code: await codeFor('privacy') });
    expect(user.statusCode, user.body).toBe(200);
  });

  it('backs off exponentially per pair: ten minutes after five failures, then twenty after the next one', async () => {
    advance(60_000);
    const address = '203.0.113.8';
    const lockedUntil = async () => Date.parse((await from(address, { user: 'ice', password: 'x', code: '000000' })).json().error.where.until);
    for (let i = 0; i < 5; i++) await from(address, { user: 'ice', password: `guess ${i}`, code: '123456' });
    expect(await lockedUntil()).toBe(clock + 10 * 60_000);
    advance(10 * 60_000 + 1000);
    expect((await from(address, { user: 'ice', password: 'guess 6', code: '123456' })).json().error.code).toBe('SIGN_IN_FAILED');
    expect(await lockedUntil()).toBe(clock + 20 * 60_000);
    advance(20 * 60_000 + 1000);
    // The right credentials end the back-off for that address.
    expect((await from(address, { user: 'ice', password: DEMO_PASSWORD, code: await codeFor('ice') })).statusCode).toBe(200);
    expect((await from(address, { user: 'ice', password: 'one typo', code: '123456' })).json().error.code).toBe('SIGN_IN_FAILED');
  });

  it('answers an unknown user exactly as a known one, through the lock and beyond', async () => {
    advance(60_000);
    for (let i = 0; i < 8; i++) {
      const known = await from('203.0.113.9', { user: 'booking', password: `guess ${i}`, code: '123456' });
      const unknown = await from('203.0.113.9', { user: 'nobody.here', password: `guess ${i}`, code: '123456' });
      expect(answer(unknown), `attempt ${i + 1}`).toEqual(answer(known));
      expect(answer(known)[0]).toBe(i < 5 ? 401 : 423);
    }
  });

  it('refuses a user id longer than any account id as malformed (400), not with a server error', async () => {
    const long = await from('203.0.113.11', { user: 'u'.repeat(900_000), password: 'x', code: '123456' });
    expect([long.statusCode, long.json().error.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('audits the lock as account.locked, with the client address, and ends the sessions opened from there', async () => {
    advance(60_000);
    const here = (await from('203.0.113.10', { user: 'port', password: DEMO_PASSWORD, code: await codeFor('port') })).json().token;
    for (let i = 0; i < 5; i++) await from('203.0.113.10', { user: 'port', password: `guess ${i}`, code: '123456' });
    const [locked] = await t.system.databases.gateway!.query<{ user_id: string; client: string; outcome: string }>(
      `SELECT user_id, client, outcome FROM audit_log WHERE event = 'account.locked' AND client = '203.0.113.10'`,
    );
    expect(locked).toEqual({ user_id: 'port', client: '203.0.113.10', outcome: 'refused' });
    expect((await me(here)).statusCode).toBe(401);
  });
});

describe('sessions (security review F17)', () => {
  it('keeps one session per user: a new sign-in ends the older one, audited', async () => {
    advance(60_000);
    const first = (await signIn({ user: 'field', password: DEMO_PASSWORD, code: await codeFor('field') })).json().token;
    advance(60_000);
    const second = (await signIn({ user: 'field', password: DEMO_PASSWORD, code: await codeFor('field') })).json().token;
    expect((await me(first)).statusCode).toBe(401);
    expect((await me(second)).statusCode).toBe(200);
    const ended = await t.system.databases.gateway!.query<{ user_id: string }>(`SELECT user_id FROM audit_log WHERE event = 'session.superseded'`);
    expect(ended.map((r) => r.user_id)).toContain('field');
  });

  it('keeps as many sessions as the agency allows', async () => {
    await t.system.databases.gateway!.query(`UPDATE agencies SET max_sessions = 2 WHERE ori = 'TX0570000'`);
    const tokens = [];
    for (let i = 0; i < 3; i++) {
      advance(60_000);
      tokens.push((await signIn({ user: 'booking', password: DEMO_PASSWORD, code: await codeFor('booking') })).json().token);
    }
    expect(await Promise.all(tokens.map(async (token) => (await me(token)).statusCode))).toEqual([401, 200, 200]);
    await t.system.databases.gateway!.query(`UPDATE agencies SET max_sessions = 1 WHERE ori = 'TX0570000'`);
  });
});
