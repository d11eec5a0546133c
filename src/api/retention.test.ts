import { describe, expect, it } from 'vitest';
import { indexPrints, useTestSystem } from '../testing/test-system.ts';

/** The retention purge (domain brief 7.3), on a clock the test moves decades ahead. */
let clock = Date.now();
const t = useTestSystem({ now: () => new Date(clock) });

const today = new Date().toISOString().slice(0, 10);
let tcn = 0;

/** A multipart POST that must succeed; its JSON answer. */
async function post(url: string, user: string, parts: Parameters<typeof t.post>[2]) {
  const response = await t.post(url, user, parts);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const identify = (a: string, b: string) => post('/v1/identify?purpose=C', 'field', [{ name: 'tcn', text: `RET-RPIS-${tcn++}` }, ...indexPrints(a, b)]);
const travellerByPrints = () => t.post('/v1/history?purpose=C', 'ice', indexPrints('101_2', '102_2'));
const purge = async () => {
  const response = await t.app.inject({ method: 'POST', url: '/v1/admin/retention/run', headers: { authorization: `Bearer ${t.tokens.admin}` } });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const years = (n: number) => n * 365.25 * 86_400_000;

describe('retention', () => {
  it('keeps everything young, then deletes each kind of record when its retention has passed, auditing each purge', async () => {
    await post('/v1/encounters', 'port', [
      { name: 'subject', json: { tcn: 'RET-POE-1', port: 'JFK', inspectionDate: today, admissionClass: 'B2', name: { family: 'OLDEN', given: 'RUTH' }, dob: '1990-01-01', sex: 'F', nationality: 'GBR', document: { type: 'passport', number: 'R1', issuingCountry: 'GBR' } } },
      ...indexPrints('101_1', '102_1'),
    ]);
    const booked = await post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'RET-CAR-1', purpose: 'C', name: { family: 'ELDER', given: 'WALT' }, dob: '1940-01-01', sex: 'M', dateOfArrest: today, charges: [{ literal: 'FRAUD', severity: 'felony' }] } },
      ...indexPrints('103_1', '104_1'),
    ]);
    const passedOn = await t.app.inject({
      method: 'POST',
      url: '/v1/disseminations',
      headers: { authorization: `Bearer ${t.tokens.booking}` },
      payload: { record: booked.sre.fbiNumber, purpose: 'C', requestingAgency: 'County Attorney', recipient: 'J. Doe', method: 'mail' },
    });
    expect(passedOn.statusCode, passedOn.body).toBe(201);
    expect(await purge()).toMatchObject({ immigration: { samples: 0, subjects: 0 }, criminal: { subjects: 0 }, auditRecords: 0, secondaryDisseminations: 0 });
    expect((await identify('103_2', '104_2')).summary.name).toBe('ELDER, WALT');

    clock += years(25); // the arrestee would be 111; audit records are 25 years old
    const later = await purge();
    expect(later).toMatchObject({ immigration: { samples: 0 }, criminal: { subjects: 1 }, secondaryDisseminations: 1 }); // kept as long as the record
    expect(later.auditRecords).toBeGreaterThan(3);
    expect((await identify('103_2', '104_2')).summary.matchLevel).not.toBe('identified');
    expect((await travellerByPrints()).statusCode).toBe(200); // the traveller is still known (rapid identification screens violators only)

    clock += years(52); // the port encounter is 77 years old
    const last = await purge();
    expect(last.immigration).toMatchObject({ samples: 2, encounters: 1, subjects: 1 });
    expect((await travellerByPrints()).statusCode).toBe(404);
    expect((await identify('101_2', '102_2')).color).toBe('green');

    const verify = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: { authorization: `Bearer ${t.tokens.privacy}` } });
    expect(verify.json()).toMatchObject({ ok: true });
    const purges = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event = 'retention.purge'`);
    expect(purges.length).toBeGreaterThanOrEqual(1);
  });
});
