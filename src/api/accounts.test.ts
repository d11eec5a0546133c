import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { registerSystemToken } from '../gateway/client-credentials.ts';
import { useTestSystem } from '../testing/test-system.ts';

/**
 * Accounts (security review F3, F17): persons sign in and have no API token; an account that reads
 * records needs a second administrator; API tokens belong to registered systems and expire.
 */
let clock = Date.parse('2026-12-01T09:00:00Z');
const t = useTestSystem({ now: () => new Date(clock) });
const advance = (ms: number) => (clock += ms);
const secrets: Record<string, string> = {};

async function session(user: string, password = DEMO_PASSWORD): Promise<string> {
  advance(60_000); // a fresh time step, so each sign-in has a code of its own
  const code = await generate({ secret: secrets[user] ?? t.totpSecrets[user], epoch: Math.floor(clock / 1000) });
  const response = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user, password, code } });
  expect(response.statusCode, `${user}: ${response.body}`).toBe(200);
  return response.json().token;
}

const as = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, payload: payload as Record<string, unknown>, headers: { authorization: `Bearer ${token}` } });

async function create(token: string, user: { id: string; ori: string; role: string }) {
  const response = await as(token, 'POST', '/v1/admin/users', { ...user, name: user.id.toUpperCase(), password: 'a long initial password' });
  expect(response.statusCode, response.body).toBe(201);
  secrets[user.id] = response.json().totpSecret;
  return response.json();
}

const audit = (event: string) =>
  t.system.databases.gateway!.query<{ user_id: string; outcome: string; record_ids: string[] }>('SELECT user_id, outcome, record_ids FROM audit_log WHERE event = $1 ORDER BY seq', [event]);

describe('the two-person rule (F3)', () => {
  it('creates an analyst pending approval, with a one-time-code secret and no token; it cannot sign in yet', async () => {
    const admin = await session('admin');
    const created = await create(admin, { id: 'shadow.analyst', ori: 'DCFBI0000', role: 'justice_analyst' });
    expect(created).toEqual({ id: 'shadow.analyst', totpSecret: expect.any(String), status: 'pending_approval' });
    advance(60_000);
    const code = await generate({ secret: secrets['shadow.analyst'], epoch: Math.floor(clock / 1000) });
    const early = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user: 'shadow.analyst', password: 'a long initial password', code } });
    expect([early.statusCode, early.json().error.code]).toEqual([401, 'SIGN_IN_FAILED']);
  });

  it('refuses a system as the creator of an account that needs a second approver, so its holder cannot be that second person', async () => {
    const bySystem = await as(t.tokens.admin, 'POST', '/v1/admin/users', { id: 'desk.analyst', name: 'DESK', ori: 'DCFBI0000', role: 'justice_analyst', password: 'a long initial password' });
    expect([bySystem.statusCode, bySystem.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await audit('account.create')).at(-1)).toMatchObject({ user_id: 'client:demo-admin', outcome: 'refused' });
    const listed = (await as(await session('admin2'), 'GET', '/v1/admin/accounts')).json().users.map((u: { id: string }) => u.id);
    expect(listed).not.toContain('desk.analyst');
  });

  it('refuses the creator and any system as approver, and audits each refusal', async () => {
    const admin = await session('admin');
    const byCreator = await as(admin, 'POST', '/v1/admin/users/shadow.analyst/approve');
    expect([byCreator.statusCode, byCreator.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const bySystem = await as(t.tokens.admin2, 'POST', '/v1/admin/users/shadow.analyst/approve');
    expect([bySystem.statusCode, bySystem.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const byAnalyst = await as(await session('fbi'), 'POST', '/v1/admin/users/shadow.analyst/approve');
    expect(byAnalyst.statusCode).toBe(403);
    const refusals = (await audit('account.approve')).filter((r) => r.outcome === 'refused');
    expect(refusals.map((r) => r.user_id)).toEqual(['admin', 'client:demo-admin2']);
  });

  it('activates the account when a second administrator approves it; both steps are audited', async () => {
    const approved = await as(await session('admin2'), 'POST', '/v1/admin/users/shadow.analyst/approve');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toEqual({ id: 'shadow.analyst', status: 'active' });
    const analyst = await session('shadow.analyst', 'a long initial password');
    expect((await as(analyst, 'GET', '/v1/me')).json()).toMatchObject({ id: 'shadow.analyst', role: 'justice_analyst' });
    const [created] = await audit('account.create');
    expect(created).toMatchObject({ user_id: 'admin', outcome: 'success', record_ids: expect.arrayContaining(['shadow.analyst', 'pending_approval']) });
    expect((await audit('account.approve')).filter((r) => r.outcome === 'success')).toEqual([{ user_id: 'admin2', outcome: 'success', record_ids: ['shadow.analyst', 'created by admin'] }]);
    const again = await as(await session('admin2'), 'POST', '/v1/admin/users/shadow.analyst/approve');
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'NOT_PENDING']);
  });

  it("has an agency's own administrator approve its accounts once it has one", async () => {
    const admin = await session('admin');
    expect((await as(admin, 'POST', '/v1/admin/agencies', { ori: 'TX2200000', name: 'Travis County Sheriff', type: 'local' })).statusCode).toBe(201);
    // The agency's first administrator: vouched for by the gateway operator's administrators.
    await create(admin, { id: 'admin.travis', ori: 'TX2200000', role: 'administrator' });
    expect((await as(await session('admin2'), 'POST', '/v1/admin/users/admin.travis/approve')).statusCode).toBe(200);
    const officer = await create(admin, { id: 'officer.diaz', ori: 'TX2200000', role: 'field_officer' });
    expect(officer.status).toBe('pending_approval');
    const outsider = await as(await session('admin2'), 'POST', '/v1/admin/users/officer.diaz/approve');
    expect([outsider.statusCode, outsider.json().error.message]).toEqual([403, 'accounts of agency TX2200000 are approved by an administrator of TX2200000']);
    expect((await as(await session('admin.travis', 'a long initial password'), 'POST', '/v1/admin/users/officer.diaz/approve')).statusCode).toBe(200);
    await session('officer.diaz', 'a long initial password');
  });

  it('lists pending accounts with their creator for the administrators', async () => {
    const admin = await session('admin');
    await create(admin, { id: 'pending.privacy', ori: 'DCFBI0000', role: 'privacy_officer' });
    const { users } = (await as(admin, 'GET', '/v1/admin/accounts')).json();
    expect(users.find((u: { id: string }) => u.id === 'pending.privacy')).toMatchObject({ status: 'pending_approval', createdBy: 'admin', active: true });
    expect(users.find((u: { id: string }) => u.id === 'shadow.analyst')).toMatchObject({ status: 'active', createdBy: 'admin', approvedBy: 'admin2' });
  });

  it('ends the sessions of a deactivated user at once', async () => {
    const analyst = await session('shadow.analyst', 'a long initial password');
    expect((await as(t.tokens.admin, 'POST', '/v1/admin/users/shadow.analyst/deactivate')).statusCode).toBe(204);
    expect((await as(analyst, 'GET', '/v1/me')).statusCode).toBe(401);
  });
});

describe("registered systems' API tokens", () => {
  it('act as the system, expire with TOKEN_EXPIRED (audited), and stop when the system is deactivated', async () => {
    const db = t.system.databases.gateway!;
    const token = await registerSystemToken(db, { id: 'tx-mdt', name: 'Dallas mobile terminals', ori: 'TX0570000', role: 'field_officer' }, new Date(clock + 86_400_000));
    expect((await as(token, 'GET', '/v1/me')).json()).toMatchObject({ id: 'client:tx-mdt', ori: 'TX0570000', role: 'field_officer' });
    advance(86_400_000);
    const expired = await as(token, 'GET', '/v1/me');
    expect([expired.statusCode, expired.json().error.code]).toEqual([401, 'TOKEN_EXPIRED']);
    expect((await audit('logon.token_expired')).length).toBe(1);

    const renewed = await registerSystemToken(db, { id: 'tx-mdt', name: 'Dallas mobile terminals', ori: 'TX0570000', role: 'field_officer' }, new Date(clock + 86_400_000));
    expect((await as(renewed, 'GET', '/v1/me')).statusCode).toBe(200);
    expect((await as(t.tokens.admin, 'POST', '/v1/admin/clients/tx-mdt/deactivate')).statusCode).toBe(204);
    expect((await as(renewed, 'GET', '/v1/me')).json().error.code).toBe('UNAUTHENTICATED');
  });

  it('gives persons no token: the users table has no token column', async () => {
    const columns = await t.system.databases.gateway!.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'users'`);
    expect(columns.map((c) => c.column_name)).not.toContain('token_hash');
  });
});
