import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { generate } from 'otplib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { useTestSystem } from '../testing/test-system.ts';

/** Other agencies' systems: signed, short-lived, single-use assertions under a registered public key. */
let keys: Awaited<ReturnType<typeof generateKeyPair>>;
/** The administrator's one session (a user holds one at a time, and a one-time code is good once). */
let adminToken: string;
const t = useTestSystem();
beforeAll(async () => {
  keys = await generateKeyPair('ES256', { extractable: true });
  adminToken = await adminSession('admin');
  const registered = await t.app.inject({
    method: 'POST',
    url: '/v1/admin/clients',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: { id: 'tx-livescan', name: 'Dallas County live-scan', ori: 'TX0570000', role: 'booking_officer', publicKey: await exportJWK(keys.publicKey) },
  });
  expect(registered.statusCode, registered.body).toBe(201);
  expect(registered.json().status).toBe('pending_approval');
  expect((await me(await assertion())).statusCode).toBe(401); // not before a second administrator approves it
  const approved = await t.app.inject({ method: 'POST', url: '/v1/admin/clients/tx-livescan/approve', headers: { authorization: `Bearer ${await adminSession('admin2')}` } });
  expect(approved.statusCode, approved.body).toBe(200);
}, 120_000);

/** An administrator signed in as a person: only persons approve. */
async function adminSession(user: string): Promise<string> {
  const code = await generate({ secret: t.totpSecrets[user] });
  return (await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user, password: DEMO_PASSWORD, code } })).json().token;
}

async function assertion(options: { lifetime?: number; issuedAgo?: number; issuedAhead?: number; key?: Awaited<ReturnType<typeof generateKeyPair>>['privateKey']; audience?: string } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000) - (options.issuedAgo ?? 0) + (options.issuedAhead ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('tx-livescan')
    .setSubject('tx-livescan')
    .setAudience(options.audience ?? 'concord')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.lifetime ?? 120))
    .setJti(randomUUID())
    .sign(options.key ?? keys.privateKey);
}

const me = (token: string) => t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });

describe('system client credentials', () => {
  it('accepts a fresh assertion once, as the client with its agency and role', async () => {
    const token = await assertion();
    const first = await me(token);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ id: 'client:tx-livescan', ori: 'TX0570000', role: 'booking_officer' });
    expect((await me(token)).statusCode).toBe(401); // replayed
  });

  it('refuses expired, long-lived, foreign-audience and wrongly signed assertions', async () => {
    const other = await generateKeyPair('ES256');
    for (const token of [
      await assertion({ issuedAgo: 600, lifetime: 120 }),
      await assertion({ lifetime: 3600 }),
      await assertion({ issuedAhead: 86_400 * 365, lifetime: 120 }), // a year ahead: would stay valid for a year
      await assertion({ audience: 'someone-else' }),
      await assertion({ key: other.privateKey }),
    ]) {
      expect((await me(token)).statusCode).toBe(401);
    }
  });

  it('lets neither the administrator who registered a system nor any system approve it', async () => {
    const other = await generateKeyPair('ES256', { extractable: true });
    const admin = adminToken;
    const register = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: { authorization: `Bearer ${admin}` },
      payload: { id: 'shadow-system', name: 'Shadow', ori: 'DCFBI0000', role: 'justice_analyst', publicKey: await exportJWK(other.publicKey) },
    });
    expect(register.json().status).toBe('pending_approval');
    for (const token of [admin, t.tokens.admin2]) {
      const refused = await t.app.inject({ method: 'POST', url: '/v1/admin/clients/shadow-system/approve', headers: { authorization: `Bearer ${token}` } });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
    const refusals = await t.system.databases.gateway!.query(`SELECT 1 FROM audit_log WHERE event = 'client.approve' AND outcome = 'refused'`);
    expect(refusals).toHaveLength(2);
  });

  it('stops working at once when the client is deactivated, and never stores a private key', async () => {
    const withPrivate = await t.app.inject({
      method: 'POST',
      url: '/v1/admin/clients',
      headers: { authorization: `Bearer ${adminToken}` },
      payload: { id: 'careless', name: 'Careless system', ori: 'TX0570000', role: 'field_officer', publicKey: await exportJWK(keys.privateKey) },
    });
    expect([withPrivate.statusCode, withPrivate.json().error.code]).toEqual([400, 'BAD_KEY']);
    const off = await t.app.inject({ method: 'POST', url: '/v1/admin/clients/tx-livescan/deactivate', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(off.statusCode).toBe(204);
    expect((await me(await assertion())).statusCode).toBe(401);
  });
});
