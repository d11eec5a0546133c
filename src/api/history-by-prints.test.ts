import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';
import { run as historyCommand } from '../cli/commands/history.ts';

/** The one-stop history asked for by prints (domain brief 5.8) rather than by an identifier. */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const prints = (a: string, b: string) => [
  { name: 'finger_2', file: fixturePrint(a) },
  { name: 'finger_7', file: fixturePrint(b) },
];
const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });

async function lastAudit(): Promise<{ event: string; outcome: string; purpose: string | null; record_ids: string[] }> {
  const [row] = await t.system.databases.gateway!.query<{ event: string; outcome: string; purpose: string | null; record_ids: string[] }>('SELECT event, outcome, purpose, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1');
  return row;
}

let fbiNumber: string;
let fin: string;
beforeAll(async () => {
  // A traveller enrolled at a port, later booked: known to both repositories, and linked.
  const enrolled = await t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn: 'POE-PRINTS-1', port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family: 'MARTIN', given: 'LUC' }, dob: '1990-02-03', sex: 'M', nationality: 'FRA', document: { type: 'passport', number: 'P2000002', issuingCountry: 'FRA' } } },
    ...prints('109_1', '110_1'),
  ]);
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  fin = enrolled.json().fin;
  const booked = await t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn: 'CAR-PRINTS-1', purpose: 'C', name: { family: 'MARTIN', given: 'LUC' }, dob: '1990-02-03', sex: 'M', dateOfArrest: today, charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
    ...prints('109_2', '110_2'),
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  fbiNumber = booked.json().sre.fbiNumber;
}, 60_000);

describe('one-stop history by prints', () => {
  it('answers what the same requester gets by FBI number, and audits it as a disclosure', async () => {
    const byPrints = await t.post('/v1/history?purpose=C', 'booking', prints('109_1', '110_1'));
    expect(byPrints.statusCode, byPrints.body).toBe(200);
    const byId = (await get(`/v1/subjects/${fbiNumber}/history?purpose=C`, 'booking')).json();
    expect(byPrints.json()).toEqual(byId);
    expect(byId.subject).toBe(fbiNumber);
    expect(byId.withheld).toBe(true); // a local booking officer gets the immigration summary only
    const [disclosure] = await t.system.databases.gateway!.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'history.disclose' ORDER BY seq DESC OFFSET 1 LIMIT 1`);
    expect(disclosure.record_ids).toEqual([fbiNumber, fin]);
  });

  it('filters by the requester: ICE with purpose C sees the immigration timeline', async () => {
    const history = (await t.post('/v1/history?purpose=C', 'ice', prints('109_2', '110_2'))).json();
    expect(history.subject).toBe(fbiNumber);
    expect(history.timeline.some((entry: { source: string }) => entry.source === 'immigration')).toBe(true);
  });

  it('refuses, and audits, a request without a purpose before reading its prints', async () => {
    const response = await t.post('/v1/history', 'booking', [{ name: 'finger_2', file: new Uint8Array([1, 2, 3]) }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MISSING_PURPOSE');
    expect(await lastAudit()).toMatchObject({ event: 'history.refused', outcome: 'refused', record_ids: ['prints'] });
  });

  it('refuses a role without the right to histories (403), audited', async () => {
    const response = await t.post('/v1/history?purpose=C', 'field', prints('109_1', '110_1'));
    expect(response.statusCode).toBe(403);
    expect(await lastAudit()).toMatchObject({ event: 'history.refused', outcome: 'refused' });
  });

  it('discloses nothing for prints that identify no one, and records the search', async () => {
    const response = await t.post('/v1/history?purpose=C', 'booking', prints('105_1', '106_1'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'SUBJECT_NOT_FOUND', where: { matchLevel: 'none' } });
    expect(await lastAudit()).toMatchObject({ event: 'history.no_identification', purpose: 'C', record_ids: [] });
  });

  it('takes 1 to 10 fingers: none is a typed error', async () => {
    const response = await t.post('/v1/history?purpose=C', 'booking', []);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('FINGER_COUNT');
  });

  it('is asked from the CLI with finger_N=IMAGE arguments', async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const file = (name: string) => fileURLToPath(new URL(`../../fixtures/fingerprints/${name}.png`, import.meta.url));
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      await historyCommand([`finger_2=${file('109_1')}`, `finger_7=${file('110_1')}`, '--purpose', 'C', '--url', url, '--token', t.tokens.booking]);
    } finally {
      stdout.mockRestore();
    }
    expect(JSON.parse(written.join(''))).toMatchObject({ subject: fbiNumber, purpose: 'C', withheld: true });
  });
});
