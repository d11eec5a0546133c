import { describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** Templates are sealed in the repositories' tables, and a key rotation re-seals them online. */
const t = useTestSystem();

const today = new Date().toISOString().slice(0, 10);

const post = (url: string, user: string, parts: Parameters<typeof t.post>[2]) => t.post(url, user, parts);

const storedTemplates = async (node: 'immigration' | 'criminal') =>
  (await t.system.databases[node]!.query<{ template: Uint8Array }>('SELECT template FROM samples')).map((r) => Buffer.from(r.template));

describe('biometric data at rest', () => {
  it('stores every template sealed (AES-256-GCM under a named key), never as a readable template', async () => {
    const booked = await post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'ENC-1', purpose: 'C', name: { family: 'SEALED', given: 'SAM' }, dob: '1980-01-01', sex: 'M', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] } },
      { name: 'finger_2', file: fixturePrint('105_1') },
      { name: 'finger_7', file: fixturePrint('106_1') },
    ]);
    expect(booked.statusCode, booked.body).toBe(200);
    const templates = await storedTemplates('criminal');
    expect(templates.length).toBeGreaterThan(0);
    for (const template of templates) expect(template.subarray(0, 6).toString('latin1')).toBe('CSE1\u0002k');
  });

  it('rotates the key online: everything is sealed again under the new key and still matches', async () => {
    const rotated = await t.app.inject({ method: 'POST', url: '/v1/admin/keys/rotate', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const { keyId, resealed } = rotated.json();
    expect(keyId).toBe('k2');
    expect(resealed).toBeGreaterThanOrEqual(2);
    for (const template of await storedTemplates('criminal')) expect(template.subarray(5, 7).toString('latin1')).toBe('k2');
    const identified = await post('/v1/identify', 'field', [
      { name: 'tcn', text: 'ENC-RPIS-1' },
      { name: 'finger_2', file: fixturePrint('105_2') },
      { name: 'finger_7', file: fixturePrint('106_2') },
    ]);
    expect(identified.json().summary.name).toBe('SEALED, SAM');
    const [audit] = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event = 'keys.rotate'`);
    expect(audit.event).toBe('keys.rotate');
  });
});
