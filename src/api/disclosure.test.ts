import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, indexPrints, useTestSystem } from '../testing/test-system.ts';

/**
 * What each requester learns, and what it cannot infer: the examiner's comparison needs a
 * biometric grant (domain brief §6.1), the photo and a FIN ask the grant before any record is
 * looked up, a booking without an immigration grant says nothing of DHS, and rapid
 * identification searches the violators of the immigration repository only (§5.5).
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });

interface AuditRow {
  event: string;
  outcome: string;
  user_id: string;
  purpose: string | null;
  record_ids: string[];
}
async function lastAudit(): Promise<AuditRow> {
  const [row] = await t.system.databases.gateway!.query<AuditRow>('SELECT event, outcome, user_id, purpose, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1');
  return row;
}

async function enroll(tcn: string, family: string, fingers: [string, string]): Promise<string> {
  const enrolled = await t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family, given: 'EVA' }, dob: '1988-04-04', sex: 'F', nationality: 'NLD', document: { type: 'passport', number: `N${tcn}`, issuingCountry: 'NLD' } } },
    ...indexPrints(...fingers),
  ]);
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  return enrolled.json().fin;
}

const arrest = (tcn: string, family: string, purpose = 'C') => ({ tcn, purpose, name: { family, given: 'EVA' }, dob: '1988-04-04', sex: 'F', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] });
const book = (tcn: string, family: string, fingers: [string, string], purpose = 'C') => t.post('/v1/bookings', 'booking', [{ name: 'booking', json: arrest(tcn, family, purpose) }, ...indexPrints(...fingers)]);

let lawfulFin: string;
let violatorFin: string;
let linkedFin: string;
let linkedFbi: string;
let criminalFbi: string;
beforeAll(async () => {
  lawfulFin = await enroll('DS-POE-1', 'LAWFUL', ['101_1', '102_1']);
  violatorFin = await enroll('DS-POE-2', 'OVERSTAYER', ['103_1', '104_1']);
  await t.system.databases.immigration!.execute(`INSERT INTO flags (fin, kind, since) VALUES ($1, 'overstay', '2026-01-01')`, [violatorFin]);
  linkedFin = await enroll('DS-POE-3', 'BOTH', ['105_1', '106_1']);
  const linked = await book('DS-CAR-3', 'BOTH', ['105_2', '106_2']);
  expect(linked.statusCode, linked.body).toBe(200);
  linkedFbi = linked.json().sre.fbiNumber;
  const criminal = await book('DS-CAR-4', 'CRIMINAL', ['107_1', '108_1']);
  expect(criminal.statusCode, criminal.body).toBe(200);
  criminalFbi = criminal.json().sre.fbiNumber;
}, 120_000);

const compare = (user: string, subject: string, purpose = 'C') =>
  t.post(`/v1/compare${purpose ? `?purpose=${purpose}` : ''}`, user, [
    { name: 'request', json: { subject, position: 2 } },
    { name: 'probe', file: fixturePrint('109_1') },
  ]);

describe('the examiner comparison (F1)', () => {
  it('refuses a local agency, before the subject is looked up: the same 403 for a real FIN, an unknown one and an FBI number, audited', async () => {
    const answers = [];
    for (const [user, subject] of [['field', lawfulFin], ['field', 'FIN999999999'], ['booking', criminalFbi]]) {
      const response = await compare(user, subject);
      expect([response.statusCode, response.json().error.code], `${user} ${subject}`).toEqual([403, 'FORBIDDEN']);
      answers.push(response.body);
      expect(await lastAudit()).toMatchObject({ event: 'compare.refused', outcome: 'refused', user_id: `client:demo-${user}`, purpose: 'C', record_ids: [subject] });
    }
    expect(new Set(answers).size).toBe(1);
    const written = await t.system.databases.gateway!.query(`SELECT 1 FROM audit_log WHERE event = 'compare.disclose'`);
    expect(written).toEqual([]);
  });

  it('requires a purpose', async () => {
    const response = await compare('fbi', criminalFbi, '');
    expect([response.statusCode, response.json().error.code]).toEqual([400, 'MISSING_PURPOSE']);
    expect(await lastAudit()).toMatchObject({ event: 'compare.refused', outcome: 'refused' });
  });

  it('shows the FBI the stored print, a port officer the match image, ICE the score alone; an unknown subject is a 404, audited', async () => {
    const fbi = await compare('fbi', criminalFbi);
    expect(fbi.statusCode, fbi.body).toBe(200);
    expect(fbi.json().candidate.minutiae.length).toBeGreaterThan(0);
    const port = await compare('port', lawfulFin);
    expect(port.json().candidate.minutiae.length).toBeGreaterThan(0);
    const ice = await compare('ice', lawfulFin);
    expect(ice.statusCode, ice.body).toBe(200);
    expect(ice.json()).not.toHaveProperty('candidate');
    expect(ice.json().pairs).toEqual([]);
    expect(typeof ice.json().score).toBe('number');
    const unknown = await compare('fbi', 'FIN999999999');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
    expect(await lastAudit()).toMatchObject({ event: 'compare.not_found', outcome: 'refused', user_id: 'client:demo-fbi', record_ids: ['FIN999999999'] });
  });
});

describe('the face photo (F16)', () => {
  it('gives a requester without a full immigration grant the same 403 for every identifier', async () => {
    for (const purpose of ['J', 'C']) {
      const bodies = [];
      for (const id of [linkedFbi, criminalFbi, 'FIN999999999']) {
        const response = await get(`/v1/subjects/${id}/photo?purpose=${purpose}`, 'booking');
        expect(response.statusCode, `${id} ${purpose}`).toBe(403);
        bodies.push(response.body);
        expect(await lastAudit()).toMatchObject({ event: 'photo.refused', record_ids: [id], purpose });
      }
      expect(new Set(bodies).size).toBe(1);
    }
  });
});

describe('a local officer asking by FIN without an immigration grant (F14)', () => {
  it('is refused alike for a known FIN and an unknown one, and the linked criminal record is not named', async () => {
    const known = await get(`/v1/subjects/${linkedFin}/history?purpose=J`, 'booking');
    const unknown = await get('/v1/subjects/FIN999999999/history?purpose=J', 'booking');
    expect([known.statusCode, unknown.statusCode]).toEqual([403, 403]);
    expect(known.json().error.message).toBe(unknown.json().error.message);
    expect(known.body).not.toContain(linkedFbi);
    expect(await lastAudit()).toMatchObject({ event: 'history.refused', outcome: 'refused', purpose: 'J', record_ids: ['FIN999999999'] });
  });

  it('answers by FBI number without telling whether a FIN is linked', async () => {
    const linked = (await get(`/v1/subjects/${linkedFbi}/history?purpose=J`, 'booking')).json();
    const alone = (await get(`/v1/subjects/${criminalFbi}/history?purpose=J`, 'booking')).json();
    for (const history of [linked, alone]) {
      expect(history.identifiers.fin).toBeUndefined();
      expect(history.immigrationSummary).toBeUndefined();
      expect(history.withheld).toBe(true);
    }
  });
});

describe('a booking without an immigration grant (F14)', () => {
  it('says WITHHELD, the same for a person known to DHS and one who is not', async () => {
    const known = await book('DS-CAR-J1', 'BOTH', ['105_1', '106_1'], 'J');
    const unknown = await book('DS-CAR-J2', 'NOBODY', ['109_1', '110_1'], 'J');
    expect([known.statusCode, unknown.statusCode]).toEqual([200, 200]);
    expect(known.json().immigration).toEqual({ status: 'WITHHELD', message: 'immigration data withheld by policy' });
    expect(unknown.json().immigration).toEqual(known.json().immigration);
    expect([known.json().withheld, unknown.json().withheld]).toEqual([true, true]);
    expect(known.body).not.toContain(linkedFin);
    // ICE is still told of the match (Secure Communities), whatever the booking agency may see.
    const cases = (await get('/v1/notifications', 'ice')).json();
    expect(cases.some((n: { kind: string; tcn: string }) => n.kind === 'iaq' && n.tcn === 'DS-CAR-J1')).toBe(true);
  });
});

describe('a booking without an immigration grant while the immigration node is down', () => {
  it('stays WITHHELD when the check completes: ICE gets its case, the booking agency no IDR', async () => {
    await t.system.stopNode('immigration');
    let answer;
    try {
      answer = await book('DS-CAR-J3', 'BOTH', ['105_2', '106_1'], 'J');
    } finally {
      await t.system.startNode('immigration');
    }
    expect(answer.json().immigration).toEqual({ status: 'WITHHELD', message: 'immigration data withheld by policy' });
    let row: { status: string; response: { immigration: unknown } } | undefined;
    for (let attempt = 0; attempt < 50 && row?.status !== 'completed'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      [row] = await t.system.databases.gateway!.query<{ status: string; response: { immigration: unknown } }>(`SELECT status, response FROM transactions WHERE tcn = 'DS-CAR-J3'`);
    }
    expect(row).toMatchObject({ status: 'completed', response: { immigration: { status: 'WITHHELD' } } });
    const ice = (await get('/v1/notifications', 'ice')).json();
    expect(ice.some((n: { kind: string; tcn: string }) => n.kind === 'iaq' && n.tcn === 'DS-CAR-J3')).toBe(true);
    const county = (await get('/v1/notifications', 'booking')).json();
    expect(county.some((n: { tcn: string }) => n.tcn === 'DS-CAR-J3')).toBe(false);
  });
});

describe('rapid identification (F18)', () => {
  const identify = (user: string, fingers: [string, string], purpose = 'C') => t.post(`/v1/identify${purpose ? `?purpose=${purpose}` : ''}`, user, indexPrints(...fingers));

  it('does not find a lawful traveller: green, no name, no FIN', async () => {
    const response = await identify('field', ['101_2', '102_2']);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ color: 'green', purpose: 'C', summary: { matchLevel: 'none' } });
    expect(response.body).not.toContain(lawfulFin);
    expect(response.body).not.toContain('LAWFUL');
  });

  it('finds an immigration violator: a local officer gets the FIN and the flag (IDR summary), a port officer the name too', async () => {
    const local = (await identify('field', ['103_2', '104_2'])).json();
    expect(local).toMatchObject({ color: 'amber', summary: { fin: violatorFin, category: 'immigration: overstay', matchLevel: 'identified' } });
    expect(local.summary.name).toBeUndefined();
    const port = (await identify('port', ['103_2', '104_2'])).json();
    expect(port.summary).toMatchObject({ fin: violatorFin, name: 'OVERSTAYER, EVA' });
  });

  it('keeps a person with only an arrest amber, known and not wanted (scenario 17)', async () => {
    const answer = (await identify('field', ['107_2', '108_2'])).json();
    expect(answer).toMatchObject({ color: 'amber', summary: { fbiNumber: criminalFbi, name: 'CRIMINAL, EVA', category: 'known subject, not wanted' } });
  });

  it('requires a purpose, and refuses one whose grant gives no wanted status, before any search', async () => {
    const none = await identify('field', ['107_2', '108_2'], '');
    expect([none.statusCode, none.json().error.code]).toEqual([400, 'MISSING_PURPOSE']);
    const j = await identify('field', ['107_2', '108_2'], 'J');
    expect([j.statusCode, j.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await lastAudit()).toMatchObject({ event: 'identify.refused', outcome: 'refused', purpose: 'J' });
  });
});
