import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/**
 * Every refusal and failure leaves an audit record with user, ORI, record ids and reason code,
 * including those a repository raises and the unexpected ones (500).
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const json = (method: 'GET' | 'POST' | 'DELETE', url: string, user: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${t.tokens[user]}` } });

interface AuditRow {
  event: string;
  outcome: string;
  user_id: string;
  ori: string;
  record_ids: string[];
}
async function lastAudit(): Promise<AuditRow> {
  const [row] = await t.system.databases.gateway!.query<AuditRow>('SELECT event, outcome, user_id, ori, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1');
  return row;
}

let fbiNumber: string;
beforeAll(async () => {
  const booked = await t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn: 'RA-CAR-1', purpose: 'C', name: { family: 'AUDIT', given: 'ANN' }, dob: '1982-02-02', sex: 'F', dateOfArrest: today, charges: [{ literal: 'FRAUD', severity: 'felony' }] } },
    { name: 'finger_2', file: fixturePrint('101_1') },
    { name: 'finger_7', file: fixturePrint('102_1') },
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  fbiNumber = booked.json().sre.fbiNumber;
}, 120_000);

describe('refusals raised by a repository', () => {
  it('audits clearing another agency’s warrant', async () => {
    const entered = await json('POST', '/v1/wanted', 'booking', { fbiNumber, warrantNo: 'TX-RA-1', offense: 'FRAUD', dateOfWarrant: today, extradition: 'none' });
    expect(entered.statusCode, entered.body).toBe(201);
    const id = entered.json().id;
    const cleared = await json('DELETE', `/v1/wanted/${id}`, 'fbi');
    expect(cleared.statusCode).toBe(403);
    expect(await lastAudit()).toEqual({ event: 'wanted.clear.refused', outcome: 'refused', user_id: 'client:demo-fbi', ori: 'DCFBI0000', record_ids: [id, 'reason:FORBIDDEN'] });
  });

  it('audits deciding the other repository’s redress case, and a correction with nothing to correct', async () => {
    const opened = await json('POST', '/v1/redress', 'privacy', { subject: fbiNumber, kind: 'record_challenge', arrestTcn: 'NO-SUCH-ARREST', description: 'not my arrest' });
    expect(opened.statusCode, opened.body).toBe(201);
    const id = String(opened.json().id);
    const wrongRepository = await json('POST', `/v1/redress/${id}/decision`, 'ice', { outcome: 'corrected', reason: 'x' });
    expect(wrongRepository.statusCode).toBe(403);
    expect(await lastAudit()).toEqual({ event: 'redress.decide.refused', outcome: 'refused', user_id: 'client:demo-ice', ori: 'VTICE0900', record_ids: [id, 'reason:FORBIDDEN'] });
    const nothing = await json('POST', `/v1/redress/${id}/decision`, 'fbi', { outcome: 'corrected', reason: 'x' });
    expect([nothing.statusCode, nothing.json().error.code]).toEqual([409, 'NOTHING_TO_CORRECT']);
    expect(await lastAudit()).toEqual({ event: 'redress.decide.refused', outcome: 'refused', user_id: 'client:demo-fbi', ori: 'DCFBI0000', record_ids: [id, 'reason:NOTHING_TO_CORRECT'] });
  });
});

describe('failures', () => {
  it('audits a 500 with the record asked for, and answers with the fixed message', async () => {
    const bus = t.system.bus;
    const request = bus.request.bind(bus);
    bus.request = (async (subject: string, ...rest: unknown[]) => {
      if (subject === 'criminal.history') throw new Error('disk on fire');
      return (request as (...args: unknown[]) => unknown)(subject, ...rest);
    }) as typeof bus.request;
    try {
      const response = await json('GET', `/v1/subjects/${fbiNumber}/history?purpose=C`, 'fbi');
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('disk on fire');
    } finally {
      bus.request = request;
    }
    expect(await lastAudit()).toEqual({ event: 'history.failed', outcome: 'failure', user_id: 'client:demo-fbi', ori: 'DCFBI0000', record_ids: [fbiNumber, 'reason:INTERNAL'] });
  });

  it('records a refusal once, not again at the API', async () => {
    const before = Number((await t.system.databases.gateway!.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
    const response = await json('GET', '/v1/subjects/FIN999999999/history?purpose=C', 'ice');
    expect(response.statusCode).toBe(404);
    const after = Number((await t.system.databases.gateway!.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log'))[0].n);
    expect(after).toBe(before + 1);
    expect(await lastAudit()).toMatchObject({ event: 'history.not_found' });
  });
});
