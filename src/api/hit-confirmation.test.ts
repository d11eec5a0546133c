import { describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** Hit confirmation (domain brief 5.6): deadline, second request, escalation, one answer for all. */
let clock = Date.now();
const t = useTestSystem({ now: () => new Date(clock) });

const today = new Date().toISOString().slice(0, 10);
const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });
const kinds = async (user: string) => (await get('/v1/notifications', user)).json().map((n: { kind: string; state: string }) => `${n.kind}:${n.state}`);

describe('unanswered hit confirmations', () => {
  it('send a second request after the deadline, then escalate to the control terminal; one answer closes them all', async () => {
    const booked = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'HC-CAR-1', purpose: 'C', name: { family: 'RUNNER', given: 'JAY' }, dob: '1984-04-04', sex: 'M', dateOfArrest: today, charges: [{ literal: 'ROBBERY', severity: 'felony' }] } },
      { name: 'finger_2', file: fixturePrint('109_1') },
      { name: 'finger_7', file: fixturePrint('110_1') },
    ]);
    const wanted = await t.app.inject({
      method: 'POST',
      url: '/v1/wanted',
      headers: { authorization: `Bearer ${t.tokens.booking}` },
      payload: { fbiNumber: booked.json().sre.fbiNumber, warrantNo: 'TX-HC-1', offense: 'ROBBERY', dateOfWarrant: today, extradition: 'full', caution: [] },
    });
    expect(wanted.statusCode, wanted.body).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the change reaches the ports' watch list
    const atPort = await t.post('/v1/encounters', 'port', [
      { name: 'subject', json: { tcn: 'HC-POE-1', port: 'LAX', inspectionDate: today, admissionClass: 'B2', name: { family: 'RUNNER', given: 'J' }, dob: '1984-04-04', sex: 'M', nationality: 'CAN', document: { type: 'passport', number: 'HC1', issuingCountry: 'CAN' }, needsI94OrWaiver: true } },
      { name: 'finger_2', file: fixturePrint('109_2') },
      { name: 'finger_7', file: fixturePrint('110_2') },
    ]);
    expect(atPort.json().decision, atPort.body).toBe('refer_secondary');
    expect(await kinds('booking')).toEqual(['hit_confirmation:new']);

    expect(await t.system.gateway!.escalateOverdueConfirmations()).toEqual({ secondRequests: 0, escalations: 0 });
    clock += 11 * 60_000;
    expect(await t.system.gateway!.escalateOverdueConfirmations()).toEqual({ secondRequests: 1, escalations: 0 });
    expect(await kinds('booking')).toEqual(['hit_confirmation:overdue', 'hit_confirmation_second:new']);
    clock += 11 * 60_000;
    expect(await t.system.gateway!.escalateOverdueConfirmations()).toEqual({ secondRequests: 0, escalations: 1 });
    expect(await t.system.gateway!.escalateOverdueConfirmations()).toEqual({ secondRequests: 0, escalations: 0 }); // once only
    const escalated = (await get('/v1/notifications', 'fbi')).json().find((n: { kind: string }) => n.kind === 'hit_confirmation_escalated');
    expect(escalated.payload).toMatchObject({ enteringOri: 'TX0570000', warrantNo: 'TX-HC-1' });

    const answered = await t.app.inject({ method: 'POST', url: `/v1/notifications/${escalated.id}/answer`, payload: { answer: 'confirmed' }, headers: { authorization: `Bearer ${t.tokens.fbi}` } });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(await kinds('booking')).toEqual(['hit_confirmation:confirmed', 'hit_confirmation_second:confirmed']);
    clock += 60 * 60_000;
    expect(await t.system.gateway!.escalateOverdueConfirmations()).toEqual({ secondRequests: 0, escalations: 0 });
  });
});
