import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** The secondary dissemination log (domain brief 7.1, scenario 23). */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const json = (method: 'GET' | 'POST', url: string, user: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${t.tokens[user]}` } });

const forwarded = (record: string, overrides: Record<string, unknown> = {}) => ({
  record,
  purpose: 'C',
  requestingAgency: 'Travis County District Attorney',
  requestingOri: 'TX2270100',
  recipient: 'ADA J. Ortiz',
  method: 'email',
  ...overrides,
});

let fbiNumber: string;
const arrestTcn = 'SD-CAR-1';
beforeAll(async () => {
  const booked = await t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn: arrestTcn, purpose: 'C', name: { family: 'ADLER', given: 'MAX' }, dob: '1975-09-09', sex: 'M', dateOfArrest: today, charges: [{ literal: 'FRAUD', severity: 'felony' }] } },
    { name: 'finger_2', file: fixturePrint('105_1') },
    { name: 'finger_7', file: fixturePrint('106_1') },
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  fbiNumber = booked.json().sre.fbiNumber;
  expect((await json('GET', `/v1/subjects/${fbiNumber}/history?purpose=C`, 'booking')).statusCode).toBe(200);
}, 60_000);

describe('secondary dissemination', () => {
  it('logs criminal history passed on, with its audit record, for the privacy officer to find (scenario 23)', async () => {
    const response = await json('POST', '/v1/disseminations', 'booking', forwarded(fbiNumber));
    expect(response.statusCode, response.body).toBe(201);
    const entry = response.json();
    expect(entry).toMatchObject({ sharedOn: today, record: fbiNumber, purpose: 'C', requestingAgency: 'Travis County District Attorney', recipient: 'ADA J. Ortiz', method: 'email', releasedBy: 'client:demo-booking', releasedByOri: 'TX0570000' });
    const [audit] = await t.system.databases.gateway!.query<{ event: string; user_id: string; record_ids: string[]; field_classes: string[] }>('SELECT event, user_id, record_ids, field_classes FROM audit_log WHERE seq = $1', [entry.auditSeq]);
    expect(audit).toEqual({ event: 'dissemination.secondary', user_id: 'client:demo-booking', record_ids: [fbiNumber, 'to:TX2270100'], field_classes: ['criminal_history'] });

    const log = await json('GET', `/v1/disseminations?record=${fbiNumber}`, 'privacy');
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual([entry]);
    expect((await json('GET', '/v1/disseminations', 'booking')).statusCode).toBe(403);
  });

  it('refuses to log what the agency never received, a missing purpose, and malformed fields', async () => {
    const unknown = await json('POST', '/v1/disseminations', 'booking', forwarded('4199999AB'));
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([409, 'NOT_RECEIVED']);
    // Disclosed to the booking agency, not to ICE: ICE cannot log passing it on.
    const notTheirs = await json('POST', '/v1/disseminations', 'ice', forwarded(fbiNumber));
    expect([notTheirs.statusCode, notTheirs.json().error.code]).toEqual([409, 'NOT_RECEIVED']);
    const [refusal] = await t.system.databases.gateway!.query<{ event: string; outcome: string }>('SELECT event, outcome FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(refusal).toEqual({ event: 'dissemination.refused', outcome: 'refused' });
    const noPurpose = await json('POST', '/v1/disseminations', 'booking', forwarded(fbiNumber, { purpose: undefined }));
    expect(noPurpose.json().error.code).toBe('MISSING_PURPOSE');
    for (const bad of [{ method: 'pigeon' }, { requestingOri: 'travis' }, { recipient: '' }, { recipient: 'x'.repeat(201) }, { sharedOn: '2026-02-30' }, { sharedOn: '2999-01-01' }, { sharedOn: '2000-01-01' }]) {
      const response = await json('POST', '/v1/disseminations', 'booking', forwarded(fbiNumber, bad));
      expect([response.statusCode, response.json().error.code], JSON.stringify(bad)).toEqual([400, 'BAD_REQUEST']);
    }
    expect((await json('POST', '/v1/disseminations', 'field', forwarded(fbiNumber))).statusCode).toBe(403);
    expect((await json('GET', '/v1/disseminations?limit=abc', 'privacy')).statusCode).toBe(400);
  });

  it('tells the agency it was passed on to when the record is corrected (redress)', async () => {
    const opened = await json('POST', '/v1/redress', 'privacy', { subject: fbiNumber, kind: 'record_challenge', arrestTcn, description: 'arrest of someone else under this name' });
    expect(opened.statusCode, opened.body).toBe(201);
    const decided = await json('POST', `/v1/redress/${opened.json().id}/decision`, 'fbi', { outcome: 'corrected', reason: 'prints show another person' });
    expect(decided.statusCode, decided.body).toBe(200);
    // The booking agency received it, the DA's office had it passed on; reading the log is no receipt.
    expect(decided.json().notified).toEqual(['TX0570000', 'TX2270100']);
  });
});
