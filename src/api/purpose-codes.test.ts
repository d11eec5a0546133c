import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, indexPrints, useTestSystem } from '../testing/test-system.ts';

/**
 * Purpose codes (domain brief §6.2): a code the requester may not use (R is for the FBI alone)
 * is refused with 403 and audited as a refusal on every route that takes one, before anything
 * is looked up, searched or recorded; never a 200 with an empty answer audited as a disclosure.
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const request = (method: 'GET' | 'POST', url: string, user: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${t.tokens[user]}` } });
const arrest = (tcn: string, purpose: string) => ({ tcn, purpose, name: { family: 'PURPOSE', given: 'PAT' }, dob: '1970-01-01', sex: 'M', dateOfArrest: today, charges: [{ literal: 'FRAUD', severity: 'felony' }] });

interface AuditRow {
  event: string;
  outcome: string;
  purpose: string | null;
  field_classes: string[];
}
const audits = () => t.system.databases.gateway!.query<AuditRow>('SELECT event, outcome, purpose, field_classes FROM audit_log ORDER BY seq');
const count = async (node: 'criminal' | 'gateway', table: string) => Number((await t.system.databases[node]!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

let fbiNumber: string;
beforeAll(async () => {
  const booked = await t.post('/v1/bookings', 'booking', [{ name: 'booking', json: arrest('PC-CAR-1', 'C') }, ...indexPrints('105_1', '106_1')]);
  expect(booked.statusCode, booked.body).toBe(200);
  fbiNumber = booked.json().sre.fbiNumber;
  // The booking agency received the record, so only the purpose can stop it passing it on.
  expect((await request('GET', `/v1/subjects/${fbiNumber}/history?purpose=C`, 'booking')).statusCode).toBe(200);
}, 120_000);

describe('purpose R from a local agency', () => {
  const routes: [string, string, () => Promise<{ statusCode: number; json(): { error: { code: string } } }>][] = [
    ['history by identifier', 'history.refused', () => request('GET', `/v1/subjects/${fbiNumber}/history?purpose=R`, 'booking')],
    ['history by prints', 'history_by_prints.refused', () => t.post('/v1/history?purpose=R', 'booking', indexPrints('105_2', '106_2'))],
    ['photo', 'photo.refused', () => request('GET', `/v1/subjects/${fbiNumber}/photo?purpose=R`, 'booking')],
    ['compare', 'compare.refused', () => t.post('/v1/compare?purpose=R', 'booking', [{ name: 'request', json: { subject: fbiNumber, position: 2 } }, { name: 'probe', file: fixturePrint('105_2') }])],
    ['identify', 'identify.refused', () => t.post('/v1/identify?purpose=R', 'field', indexPrints('105_2', '106_2'))],
    ['booking', 'booking.refused', () => t.post('/v1/bookings', 'booking', [{ name: 'booking', json: arrest('PC-CAR-R', 'R') }, ...indexPrints('107_1', '108_1')])],
    ['dissemination entry', 'dissemination.refused', () => request('POST', '/v1/disseminations', 'booking', { record: fbiNumber, purpose: 'R', requestingAgency: 'County Attorney', recipient: 'J. Doe', method: 'mail' })],
  ];

  for (const [name, event, call] of routes) {
    it(`is refused on ${name} (403, audited as ${event}), and nothing is disclosed or recorded`, async () => {
      const before = { arrests: await count('criminal', 'arrests'), transactions: await count('gateway', 'transactions'), entries: await count('gateway', 'secondary_disseminations') };
      const seen = (await audits()).length;
      const response = await call();
      expect([response.statusCode, response.json().error.code]).toEqual([403, 'FORBIDDEN']);
      const written = (await audits()).slice(seen);
      expect(written).toEqual([{ event, outcome: 'refused', purpose: 'R', field_classes: [] }]);
      expect({ arrests: await count('criminal', 'arrests'), transactions: await count('gateway', 'transactions'), entries: await count('gateway', 'secondary_disseminations') }).toEqual(before);
    });
  }

  it('is answered for the FBI, whose code it is', async () => {
    const response = await request('GET', `/v1/subjects/${fbiNumber}/history?purpose=R`, 'fbi');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().timeline.length).toBeGreaterThan(0);
  });
});
