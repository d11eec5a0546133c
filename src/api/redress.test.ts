import { describe, expect, it } from 'vitest';
import { indexPrints, useTestSystem } from '../testing/test-system.ts';

/** Redress (domain brief 5.7): logged, decided by the owning repository, recipients notified. */
const t = useTestSystem();

const today = new Date().toISOString().slice(0, 10);

/** A multipart POST that must succeed; its JSON answer. */
async function post(url: string, user: string, parts: Parameters<typeof t.post>[2]) {
  const response = await t.post(url, user, parts);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const json = (method: 'GET' | 'POST', url: string, user: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${t.tokens[user]}` } });

const traveller = (tcn: string, family: string, passport: string) => ({
  name: 'subject',
  json: { tcn, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family, given: 'ALEX' }, dob: '1991-07-07', sex: 'M', nationality: 'DEU', document: { type: 'passport', number: passport, issuingCountry: 'DEU' } },
});

describe('redress', () => {
  it('removes a wrongly raised identity conflict and tells every agency that received the record', async () => {
    const first = await post('/v1/encounters', 'port', [traveller('RD-POE-1', 'BERG', 'C01'), ...indexPrints('101_1', '102_1')]);
    const second = await post('/v1/encounters', 'port', [traveller('RD-POE-2', 'BERGER', 'C02'), ...indexPrints('101_2', '102_2')]);
    expect(second.hits.map((h: { kind: string }) => h.kind)).toContain('identity_conflict');
    await post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'RD-CAR-1', purpose: 'C', name: { family: 'BERG', given: 'ALEX' }, dob: '1991-07-07', sex: 'M', dateOfArrest: today, charges: [{ literal: 'TRESPASS', severity: 'misdemeanor' }] } },
      ...indexPrints('101_3', '102_2'),
    ]);

    const opened = await json('POST', '/v1/redress', 'privacy', { subject: first.fin, kind: 'identity_merge', description: 'Twin brother enrolled under his own name; not the same person' });
    expect(opened.statusCode, opened.body).toBe(201);
    const { id } = opened.json();
    expect((await json('POST', `/v1/redress/${id}/decision`, 'fbi', { outcome: 'corrected', reason: 'x' })).statusCode).toBe(403); // not the owning repository

    const decided = await json('POST', `/v1/redress/${id}/decision`, 'ice', { outcome: 'corrected', reason: 'second impression set belongs to the twin; records separated' });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(decided.json()).toMatchObject({ status: 'corrected', decidedBy: 'client:demo-ice', notified: expect.arrayContaining(['DCCBP0001', 'TX0570000']) });

    const history = (await json('GET', `/v1/subjects/${first.fin}/history?purpose=I`, 'ice')).json();
    expect(history.timeline.filter((e: { kind: string }) => e.kind === 'flag')).toEqual([]);
    const inbox = (await json('GET', '/v1/notifications', 'booking')).json();
    expect(inbox.find((n: { kind: string }) => n.kind === 'redress_correction')).toMatchObject({ subjectRef: first.fin, tcn: `REDRESS-${id}` });
    const again = await json('POST', `/v1/redress/${id}/decision`, 'ice', { outcome: 'declined', reason: 'changed my mind' });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'ALREADY_DECIDED']);
  });

  it('seals a successfully challenged arrest, which then leaves every rap sheet', async () => {
    const booked = await post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'RD-CAR-2', purpose: 'C', name: { family: 'NOVAK', given: 'IVA' }, dob: '1988-03-03', sex: 'F', dateOfArrest: today, charges: [{ literal: 'SHOPLIFTING', severity: 'misdemeanor' }] } },
      ...indexPrints('109_1', '110_1'),
    ]);
    const fbiNumber = booked.sre.fbiNumber;
    const arrests = async () => (await json('GET', `/v1/subjects/${fbiNumber}/history?purpose=C`, 'booking')).json().timeline.filter((e: { kind: string }) => e.kind === 'arrest');
    expect(await arrests()).toHaveLength(1);
    const { id } = (await json('POST', '/v1/redress', 'privacy', { subject: fbiNumber, kind: 'record_challenge', arrestTcn: 'RD-CAR-2', description: 'Store camera shows another person' })).json();
    const declinedByNobody = await json('GET', '/v1/redress', 'ice');
    expect(declinedByNobody.json().some((c: { id: number }) => c.id === id)).toBe(false); // not the immigration analyst's case
    const decided = await json('POST', `/v1/redress/${id}/decision`, 'fbi', { outcome: 'corrected', reason: 'misidentification confirmed by the arresting agency' });
    expect(decided.json()).toMatchObject({ status: 'corrected', notified: ['TX0570000'] });
    expect(await arrests()).toEqual([]);
  });
});
