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
