import { describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** Templates are sealed in the repositories' tables, and a key rotation re-seals them online. */
const t = useTestSystem();

const today = new Date().toISOString().slice(0, 10);

const post = (url: string, user: string, parts: Parameters<typeof t.post>[2]) => t.post(url, user, parts);

const storedTemplates = async (node: 'immigration' | 'criminal') =>
  (await t.system.databases[node]!.query<{ template: Uint8Array }>('SELECT template FROM samples')).map((r) => Buffer.from(r.template));

/** Books a new arrestee (a theft) with two prints; returns the booking's answer. */
async function book(tcn: string, name: { family: string; given: string }, sex: string, prints: [string, string]) {
  const booked = await post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn, purpose: 'C', name, dob: '1980-01-01', sex, dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] } },
    { name: 'finger_2', file: fixturePrint(prints[0]) },
    { name: 'finger_7', file: fixturePrint(prints[1]) },
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  return booked.json();
}

describe('biometric data at rest', () => {
  it('stores every template sealed (AES-256-GCM under a named key), never as a readable template', async () => {
    await book('ENC-1', { family: 'SEALED', given: 'SAM' }, 'M', ['105_1', '106_1']);
    const templates = await storedTemplates('criminal');
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expect(template.subarray(0, 6).toString('latin1')).toBe('CSE2\u0002k');
  });

  it('rotates the key online: everything is sealed again under the new key and still matches', async () => {
    const rotated = await t.app.inject({ method: 'POST', url: '/v1/admin/keys/rotate', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { keyId, resealed } = rotated.json();
    expect(keyId).toBe('k2');
    expect(resealed).toBeGreaterThanOrEqual(2);
    for (const template of await storedTemplates('criminal')) expect(template.subarray(5, 7).toString('latin1')).toBe('k2');
    const identified = await post('/v1/identify?purpose=C', 'field', [
      { name: 'tcn', text: 'ENC-RPIS-1' },
      { name: 'finger_2', file: fixturePrint('105_2') },
      { name: 'finger_7', file: fixturePrint('106_2') },
    ]);
    expect(identified.json().summary.name).toBe('SEALED, SAM');
    const [audit] = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event = 'keys.rotate'`);
    expect(audit.event).toBe('keys.rotate');
  });

  it('refuses a print moved to another subject in the database, and one stored unsealed', async () => {
    const victim = (await book('ENC-2', { family: 'OTHER', given: 'OLGA' }, 'F', ['107_1', '108_1'])).sre.fbiNumber as string;
    const criminal = t.system.databases.criminal!;
    const [other] = await criminal.query<{ fbi_number: string }>('SELECT fbi_number FROM samples WHERE fbi_number <> $1 AND position = 2 LIMIT 1', [victim]);
    const compare = () => post('/v1/compare?purpose=C', 'fbi', [{ name: 'request', json: { subject: victim, position: 2 } }, { name: 'probe', file: fixturePrint('107_2') }]);
    expect((await compare()).statusCode).toBe(200);
    // Someone with write access to the table gives the victim another subject's sealed print.
    await criminal.query('UPDATE samples SET template = (SELECT template FROM samples WHERE fbi_number = $2 AND position = 2 LIMIT 1) WHERE fbi_number = $1 AND position = 2', [victim, other.fbi_number]);
    const moved = await compare();
    expect([moved.statusCode, moved.json().error.code]).toEqual([500, 'SEALED_DATA_CORRUPT']);
    // ... or writes a template in the clear.
    await criminal.query(`UPDATE samples SET template = $2 WHERE fbi_number = $1 AND position = 2`, [victim, Buffer.from('CTPL-not-sealed-at-all')]);
    const clear = await compare();
    expect([clear.statusCode, clear.json().error.code]).toEqual([500, 'DATA_NOT_SEALED']);
    // The repository still starts, with that print left out of every search and reported.
    await t.system.stopNode('criminal');
    await t.system.startNode('criminal');
    expect(t.system.refusedTemplates()).toEqual([`samples.template|${victim}|2`]);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json().refusedTemplates).toBe(1);
    // A rotation does not launder it: it stays refused, and is reported and audited.
    const rotated = await t.app.inject({ method: 'POST', url: '/v1/admin/keys/rotate', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(rotated.json().refused).toEqual([`samples.template|${victim}|2`]);
    expect((await compare()).json().error.code).toBe('DATA_NOT_SEALED');
  });
});
