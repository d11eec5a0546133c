import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/** Domain brief scenario 30: a booking while the immigration repository is down loses nothing. */
let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
}, 120_000);
afterAll(async () => t?.close());

const today = new Date().toISOString().slice(0, 10);

async function post(url: string, user: string, json: { name: string; value: unknown }, prints: [string, string]) {
  const { body, contentType } = multipart([
    { name: json.name, json: json.value },
    { name: 'finger_2', file: fixturePrint(prints[0]) },
    { name: 'finger_7', file: fixturePrint(prints[1]) },
  ]);
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens[user]}` } });
}

describe('a repository down during a booking', () => {
  it('returns the SRE with the immigration part PENDING, then completes and notifies when the node returns', async () => {
    const traveller = {
      tcn: `POE-down-${Date.now()}`,
      port: 'IAD',
      inspectionDate: today,
      admissionClass: 'F1',
      name: { family: 'SATO', given: 'KENJI' },
      dob: '1990-02-02',
      nationality: 'JPN',
      document: { type: 'passport', number: 'TK1234567', issuingCountry: 'JPN' },
    };
    const entry = (await post('/v1/encounters', 'port', { name: 'subject', value: traveller }, ['104_1', '105_1'])).json();
    expect(entry.fin).toBeDefined();

    await t.system.stopNode('immigration');
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().nodes.immigration).toBe('down');

    const tcn = `CAR-down-${Date.now()}`;
    const booking = { tcn, purpose: 'C', name: { family: 'SATO', given: 'KENJI' }, dob: '1990-02-02', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] };
    const answer = (await post('/v1/bookings', 'booking', { name: 'booking', value: booking }, ['104_2', '105_2'])).json();
    expect(answer.sre.srf).toBe('N');
    expect(answer.immigration.status).toBe('PENDING');

    await t.system.startNode('immigration');
    let completed;
    for (let attempt = 0; attempt < 50 && !completed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [row] = await t.system.databases.gateway!.query<{ status: string; response: { immigration: { status: string; fin?: string } } }>('SELECT status, response FROM transactions WHERE tcn = $1', [tcn]);
      if (row.status === 'completed') completed = row.response;
    }
    expect(completed?.immigration).toMatchObject({ status: 'MATCH', fin: entry.fin });
    const inbox = (await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: { authorization: `Bearer ${t.tokens.booking}` } })).json();
    expect(inbox.some((n: { kind: string; tcn: string }) => n.kind === 'idr' && n.tcn === tcn)).toBe(true);
    const ice = (await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: { authorization: `Bearer ${t.tokens.ice}` } })).json();
    expect(ice.some((n: { kind: string; tcn: string }) => n.kind === 'iaq' && n.tcn === tcn)).toBe(true);
    // The resubmitted booking now repeats the completed answer.
    const again = (await post('/v1/bookings', 'booking', { name: 'booking', value: booking }, ['104_2', '105_2'])).json();
    expect(again.immigration.status).toBe('MATCH');
  });
});
