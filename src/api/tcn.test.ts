import { describe, expect, it } from 'vitest';
import { indexPrints, useTestSystem } from '../testing/test-system.ts';

/**
 * Transaction control numbers are unique per originating agency (ORI + TCN, as EBTS intends):
 * another agency's TCN of the same spelling is another transaction, and a TCN repeated with a
 * different request is refused rather than answered with the first request's answer.
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const identify = (user: string, tcn: string, fingers: [string, string]) => t.post('/v1/identify?purpose=C', user, [{ name: 'tcn', text: tcn }, ...indexPrints(...fingers)]);
const book = (user: string, tcn: string, family: string, fingers: [string, string]) =>
  t.post('/v1/bookings', user, [
    { name: 'booking', json: { tcn, purpose: 'C', name: { family, given: 'TOM' }, dob: '1979-09-09', sex: 'M', dateOfArrest: today, charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
    ...indexPrints(...fingers),
  ]);
const arrests = async () => Number((await t.system.databases.criminal!.query<{ n: number }>('SELECT count(*)::int AS n FROM arrests'))[0].n);

describe('TCNs', () => {
  it('cannot be squatted by another agency: a port officer using a county TCN first does not block the county booking', async () => {
    expect((await identify('port', 'TX-CAR-0100', ['101_1', '102_1'])).statusCode).toBe(200);
    const booked = await book('booking', 'TX-CAR-0100', 'SQUAT', ['101_2', '102_1']);
    expect(booked.statusCode, booked.body).toBe(200);
    expect(booked.json().tcr).toBe('TX-CAR-0100');
  });

  it('are another transaction in another agency: two agencies booking under one TCN each get their own arrest', async () => {
    const before = await arrests();
    const county = await book('booking', 'SHARED-0001', 'COUNTY', ['103_1', '104_1']);
    const federal = await book('fbi', 'SHARED-0001', 'FEDERAL', ['105_1', '106_1']);
    expect([county.statusCode, federal.statusCode]).toEqual([200, 200]);
    expect(federal.json().sre.fbiNumber).not.toBe(county.json().sre.fbiNumber);
    expect(await arrests()).toBe(before + 2);
  });

  it('of two agencies booking people known to DHS under one TCN each open an ICE case', async () => {
    const enroll = (tcn: string, family: string, fingers: [string, string]) =>
      t.post('/v1/encounters', 'port', [
        { name: 'subject', json: { tcn, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family, given: 'TOM' }, dob: '1979-09-09', sex: 'M', nationality: 'FRA', document: { type: 'passport', number: `P${tcn}`, issuingCountry: 'FRA' } } },
        ...indexPrints(...fingers),
      ]);
    const fins = [];
    for (const [tcn, family, fingers] of [['POE-ICE-1', 'ONE', ['107_1', '108_1']], ['POE-ICE-2', 'TWO', ['109_1', '110_1']]] as const) {
      const enrolled = await enroll(tcn, family, [...fingers]);
      expect(enrolled.statusCode, enrolled.body).toBe(200);
      fins.push(enrolled.json().fin);
    }
    expect((await book('booking', 'SHARED-ICE-1', 'ONE', ['107_2', '108_2'])).json().immigration.fin).toBe(fins[0]);
    expect((await book('fbi', 'SHARED-ICE-1', 'TWO', ['109_2', '110_2'])).json().immigration.fin).toBe(fins[1]);
    const cases = (await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: { authorization: `Bearer ${t.tokens.ice}` } })).json();
    const opened = cases.filter((n: { kind: string; tcn: string }) => n.kind === 'iaq' && n.tcn === 'SHARED-ICE-1').map((n: { subjectRef: string }) => n.subjectRef);
    expect(opened.sort()).toEqual([...fins].sort());
  });

  it('repeated with the same request give the stored answer; with a different request, 409 DUPLICATE_TCN, audited', async () => {
    const first = await identify('field', 'RT-IDEM-0001', ['107_1', '108_1']);
    expect(first.statusCode, first.body).toBe(200);
    const again = await identify('field', 'RT-IDEM-0001', ['107_1', '108_1']);
    expect(again.json()).toEqual(first.json());
    const other = await identify('field', 'RT-IDEM-0001', ['109_1', '110_1']);
    expect([other.statusCode, other.json().error.code]).toEqual([409, 'DUPLICATE_TCN']);
    const [audit] = await t.system.databases.gateway!.query<{ event: string; outcome: string; user_id: string; ori: string; tcn: string; record_ids: string[] }>(
      'SELECT event, outcome, user_id, ori, tcn, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1',
    );
    expect(audit).toEqual({ event: 'identify.refused', outcome: 'refused', user_id: 'client:demo-field', ori: 'TX0570000', tcn: 'RT-IDEM-0001', record_ids: ['reason:DUPLICATE_TCN'] });
  });

  it('answer a booking resubmitted with other prints with 409, and book nothing', async () => {
    expect((await book('booking', 'CAR-TWICE-1', 'TWICE', ['109_2', '110_2'])).statusCode).toBe(200);
    const before = await arrests();
    const changed = await book('booking', 'CAR-TWICE-1', 'TWICE', ['101_3', '110_2']);
    expect([changed.statusCode, changed.json().error.code]).toEqual([409, 'DUPLICATE_TCN']);
    expect(await arrests()).toBe(before);
  });
});
