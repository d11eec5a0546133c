import { describe, expect, it } from 'vitest';
import { indexPrints, useTestSystem } from '../testing/test-system.ts';

/**
 * Port enrollment decides from real dates and known classes (review finding F19), checks prints
 * it was sent against wants even when it need not keep them, and treats a travel document already
 * bound to another person's prints as identity fraud.
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);
const yearsAgo = (years: number) => `${Number(today.slice(0, 4)) - years}${today.slice(4, 8)}${today.slice(8) === '29' ? '28' : today.slice(8)}`;
let counter = 0;
const nextTcn = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${counter++}`;

function traveller(overrides: Record<string, unknown> = {}) {
  const tcn = nextTcn('POE');
  return {
    tcn,
    port: 'IAD',
    inspectionDate: today,
    admissionClass: 'B2',
    name: { family: 'JOHNSON', given: 'HIRO' },
    dob: '1981-03-28',
    sex: 'M',
    nationality: 'GBR',
    document: { type: 'passport', number: `G-${tcn}`, issuingCountry: 'GBR' },
    ...overrides,
  };
}

const enroll = (subject: Record<string, unknown>, fingers: [string, string] | null) => t.post('/v1/encounters', 'port', [{ name: 'subject', json: subject }, ...(fingers ? indexPrints(...fingers) : [])]);

async function stored(table: 'encounters' | 'identities', tcn: string): Promise<number> {
  const column = table === 'encounters' ? 'tcn' : 'source_tcn';
  const [row] = await t.system.databases.immigration!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [tcn]);
  return Number(row.n);
}

describe('enrollment dates and classes (F19)', () => {
  it('refuses a date of birth in the future or before 1900, an inspection before birth or in the future, a non-calendar date, an unknown class: 400 naming the field, nothing stored, audited', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ dob: '2099-01-01' }, 'dob'],
      [{ dob: '1899-12-31' }, 'dob'],
      [{ dob: '1990-02-30' }, 'dob'],
      [{ inspectionDate: '1900-01-01' }, 'inspectionDate'],
      [{ inspectionDate: '2099-01-01' }, 'inspectionDate'],
      [{ admissionClass: 'Z'.repeat(300) }, 'admissionClass'],
    ];
    for (const [overrides, field] of cases) {
      const subject = traveller(overrides);
      const response = await enroll(subject, ['101_1', '102_1']);
      expect(response.statusCode, `${JSON.stringify(overrides)}: ${response.body}`).toBe(400);
      expect(response.json().error).toMatchObject({ code: 'BAD_REQUEST', where: { field } });
      expect(await stored('encounters', subject.tcn)).toBe(0);
    }
    const [audited] = await t.system.databases.gateway!.query<{ event: string; user_id: string }>(`SELECT event, user_id FROM audit_log WHERE event LIKE 'encounter.refused.%' ORDER BY seq DESC LIMIT 1`);
    expect(audited).toEqual({ event: 'encounter.refused.BAD_REQUEST', user_id: 'client:demo-port' });
  });

  describe('a wanted traveller', () => {
    it('is never admitted: an impossible date of birth is refused, and an exempt traveller’s prints are checked against wants before they are discarded', async () => {
      const booked = await t.post('/v1/bookings', 'booking', [
        { name: 'booking', json: { tcn: nextTcn('CAR'), purpose: 'C', name: { family: 'JOHNSON', given: 'HIRO' }, dob: '1981-03-28', sex: 'M', dateOfArrest: today, charges: [{ literal: 'KIDNAPPING', severity: 'felony' }] } },
        ...indexPrints('105_1', '106_1'),
      ]);
      expect(booked.statusCode, booked.body).toBe(200);
      const wanted = await t.app.inject({
        method: 'POST',
        url: '/v1/wanted',
        headers: { authorization: `Bearer ${t.tokens.booking}` },
        payload: { fbiNumber: booked.json().sre.fbiNumber, warrantNo: 'TX-2026-7001', offense: 'KIDNAPPING', dateOfWarrant: today, extradition: 'full', caution: ['ARMED AND DANGEROUS'] },
      });
      expect(wanted.statusCode, wanted.body).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the event reaches the ports' watch list

      expect((await enroll(traveller({ dob: '2099-01-01' }), ['105_2', '106_2'])).statusCode).toBe(400);

      for (const overrides of [{ admissionClass: 'A-1' }, { dob: yearsAgo(10) }]) {
        const subject = traveller(overrides);
        const answer = (await enroll(subject, ['105_2', '106_2'])).json();
        expect(answer, JSON.stringify(overrides)).toMatchObject({ decision: 'refer_secondary', exemptPrints: 'checked_against_wanted_not_kept' });
        expect(answer.hits).toEqual([expect.objectContaining({ kind: 'wanted', detail: expect.objectContaining({ warrantNo: 'TX-2026-7001', ori: 'TX0570000' }) })]);
        expect(answer.hitConfirmationRequests).toEqual([expect.objectContaining({ toOri: 'TX0570000', warrantNo: 'TX-2026-7001' })]);
        expect(answer.fin).toBeUndefined(); // exempt: no biometrics kept
      }
      // Without prints, an exempt traveller is admitted as before, and told nothing was checked.
      const unprinted = (await enroll(traveller({ admissionClass: 'A-1' }), null)).json();
      expect(unprinted).toMatchObject({ decision: 'admit', exemption: 'CLASS_EXEMPT' });
      expect(unprinted.exemptPrints).toBeUndefined();
    });
  });
});

describe('travel document reuse', () => {
  it('refers a second person presenting the same passport to secondary, naming the earlier holder’s FIN; from then on the passport is contested for both', async () => {
    const passport = { type: 'passport', number: 'X7700123', issuingCountry: 'NLD' };
    const holder = (await enroll(traveller({ name: { family: 'VISSER', given: 'DAAN' }, nationality: 'NLD', document: passport }), ['107_1', '108_1'])).json();
    expect(holder).toMatchObject({ decision: 'admit', hits: [] });

    const impostor = (await enroll(traveller({ name: { family: 'VISSER', given: 'DAAN' }, nationality: 'NLD', document: { ...passport, number: 'x7700123 ' } }), ['109_1', '110_1'])).json();
    expect(impostor.decision).toBe('refer_secondary');
    expect(impostor.hits).toEqual([{ kind: 'document_reuse', detail: { priorFin: holder.fin, document: 'passport NLD x7700123 ' } }]);
    expect(impostor.fin).not.toBe(holder.fin);
    const flags = await t.system.databases.immigration!.query<{ kind: string }>('SELECT kind FROM flags WHERE fin = $1', [impostor.fin]);
    expect(flags).toEqual([{ kind: 'identity_conflict' }]);

    // Which of the two is the rightful holder is for secondary inspection to decide, not the
    // matcher: the holder is recognised by his prints, and referred, naming the other FIN.
    const returning = (await enroll(traveller({ name: { family: 'VISSER', given: 'DAAN' }, nationality: 'NLD', document: passport }), ['107_2', '108_2'])).json();
    expect(returning).toMatchObject({ decision: 'refer_secondary', fin: holder.fin, returningTraveller: true });
    expect(returning.hits).toEqual([{ kind: 'document_reuse', detail: { priorFin: impostor.fin, document: 'passport NLD X7700123' } }]);
  });
});
