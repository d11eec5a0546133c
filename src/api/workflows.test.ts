import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';
import { MAX_FILE_BYTES } from '../infra/images/read-fingerprint-image.ts';

/** The acceptance scenarios of the domain brief (§10) that the core system covers, through HTTP. */
let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
}, 120_000);
afterAll(async () => t?.close());

const today = new Date().toISOString().slice(0, 10);
let tcnCounter = 0;
const nextTcn = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${tcnCounter++}`;

function traveller(overrides: Record<string, unknown> = {}) {
  const tcn = nextTcn('POE');
  return {
    tcn,
    port: 'IAD',
    inspectionDate: today,
    admissionClass: 'B2',
    name: { family: 'DURAND', given: 'CLAIRE' },
    dob: '1996-03-10',
    sex: 'F',
    nationality: 'FRA',
    // A passport of one's own: one presented by someone with other prints is a document-reuse hit.
    document: { type: 'passport', number: `P-${tcn}`, issuingCountry: 'FRA' },
    ...overrides,
  };
}

async function post(url: string, user: string, parts: Parameters<typeof multipart>[0]) {
  const { body, contentType } = multipart(parts);
  return t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens[user]}` } });
}

const fingers = (a: string, b: string) => [
  { name: 'finger_2', file: fixturePrint(a) },
  { name: 'finger_7', file: fixturePrint(b) },
];

async function enroll(subject: Record<string, unknown>, prints: [string, string] | null, user = 'port') {
  return post('/v1/encounters', user, [{ name: 'subject', json: subject }, ...(prints ? fingers(...prints) : [])]);
}

async function book(booking: Record<string, unknown>, prints: [string, string], user = 'booking') {
  return post('/v1/bookings', user, [{ name: 'booking', json: booking }, ...fingers(...prints)]);
}

function arrest(overrides: Record<string, unknown> = {}) {
  return {
    tcn: nextTcn('CAR'),
    purpose: 'C',
    name: { family: 'DOE', given: 'JOHN' },
    dob: '1985-06-01',
    sex: 'M',
    dateOfArrest: today,
    charges: [{ literal: 'AGGRAVATED ASSAULT', severity: 'felony', ncicOffenseCode: '1313' }],
    ...overrides,
  };
}

async function countRows(node: 'immigration' | 'criminal' | 'gateway', table: string): Promise<number> {
  const [row] = await t.system.databases[node]!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return Number(row.n);
}

const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });

describe('port-of-entry enrollment', () => {
  it('enrolls a 30-year-old B-2 visitor: FIN, entry encounter with admitted-until (scenario 1)', async () => {
    const response = await enroll(traveller(), ['101_1', '102_1']);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.decision).toBe('admit');
    expect(answer.fin).toMatch(/^FIN\d+$/);
    expect(answer.admittedUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(answer.tcr).toBe(answer.tcn);
  });

  it('exempts an 80th birthday (AGE_EXEMPT) and A-1 / G-4 / NATO-2 holders (CLASS_EXEMPT), storing no biometrics (scenarios 2, 3)', async () => {
    const samplesBefore = await countRows('immigration', 'samples');
    const eighty = `${Number(today.slice(0, 4)) - 80}${today.slice(4)}`;
    const old = (await enroll(traveller({ dob: eighty }), null)).json();
    expect(old).toMatchObject({ decision: 'admit', exemption: 'AGE_EXEMPT' });
    for (const admissionClass of ['A-1', 'G-4', 'NATO-2']) {
      expect((await enroll(traveller({ admissionClass }), null)).json()).toMatchObject({ decision: 'admit', exemption: 'CLASS_EXEMPT' });
    }
    expect(await countRows('immigration', 'samples')).toBe(samplesBefore);
  });

  it('raises an identity conflict when the same fingers arrive under another name and passport (scenario 6)', async () => {
    const first = (await enroll(traveller({ name: { family: 'ALPHA', given: 'ANNA' }, document: { type: 'passport', number: 'P1', issuingCountry: 'DEU' }, nationality: 'DEU' }), ['103_1', '104_1'])).json();
    expect(first.decision).toBe('admit');
    const second = (await enroll(traveller({ name: { family: 'BRAVO', given: 'BEA' }, document: { type: 'passport', number: 'P2', issuingCountry: 'AUT' }, nationality: 'AUT' }), ['103_2', '104_2'])).json();
    expect(second.decision).toBe('refer_secondary');
    const conflict = second.hits.find((h: { kind: string }) => h.kind === 'identity_conflict');
    expect(conflict.detail.priorFin).toBe(first.fin);
    expect(conflict.detail.documents).toEqual(expect.arrayContaining(['DEU P1', 'AUT P2']));
  });

  it('refers a wanted person to secondary with warrant and ORI, and asks that ORI to confirm within 10 minutes; a cleared warrant stops hitting (scenarios 5, 27)', async () => {
    const booked = (await book(arrest({ name: { family: 'WOLFE', given: 'VICTOR' } }), ['105_1', '106_1'])).json();
    const wanted = await t.app.inject({
      method: 'POST',
      url: '/v1/wanted',
      headers: { authorization: `Bearer ${t.tokens.booking}` },
      payload: { fbiNumber: booked.sre.fbiNumber, warrantNo: 'TX-2026-0042', offense: 'HOMICIDE', dateOfWarrant: today, extradition: 'full', caution: ['ARMED AND DANGEROUS'] },
    });
    expect(wanted.statusCode, wanted.body).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the event reaches the ports' watch list
    const atPort = (await enroll(traveller({ name: { family: 'WOLF', given: 'VIC' } }), ['105_2', '106_2'])).json();
    expect(atPort.decision).toBe('refer_secondary');
    const hit = atPort.hits.find((h: { kind: string }) => h.kind === 'wanted');
    expect(hit.detail).toMatchObject({ warrantNo: 'TX-2026-0042', ori: 'TX0570000' });
    expect(atPort.hitConfirmationRequests[0].toOri).toBe('TX0570000');
    const minutes = (Date.parse(atPort.hitConfirmationRequests[0].deadline) - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(9);
    expect(minutes).toBeLessThanOrEqual(10);
    const inbox = (await get('/v1/notifications', 'booking')).json();
    const request = inbox.find((n: { kind: string }) => n.kind === 'hit_confirmation');
    expect(request.state).toBe('new');
    const answer = (body: unknown, user = 'booking') =>
      t.app.inject({ method: 'POST', url: `/v1/notifications/${request.id}/answer`, payload: body as object, headers: { authorization: `Bearer ${t.tokens[user]}` } });
    expect((await answer({ answer: 'confirmed' }, 'port')).statusCode).toBe(403); // port officers work no alerts
    expect((await answer({ answer: 'confirmed' }, 'ice')).statusCode).toBe(404); // another agency's alert
    expect((await answer({ answer: 'maybe' })).statusCode).toBe(400);
    expect((await answer({ answer: 'confirmed' })).json().state).toBe('confirmed');
    expect((await answer({ answer: 'not_confirmed' })).statusCode).toBe(409); // the first answer stands
    expect((await get('/v1/notifications', 'booking')).json().find((n: { id: number }) => n.id === request.id).state).toBe('confirmed');

    const cleared = await t.app.inject({ method: 'DELETE', url: `/v1/wanted/${wanted.json().id}`, headers: { authorization: `Bearer ${t.tokens.booking}` } });
    expect(cleared.json().status).toBe('cleared');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const later = (await enroll(traveller({ name: { family: 'WOLF', given: 'VIC' } }), ['105_2', '106_2'])).json();
    expect(later.hits.some((h: { kind: string }) => h.kind === 'wanted')).toBe(false);
  });
});

describe('booking', () => {
  it('gives a person unknown to both repositories a new FBI number and "no DHS record" (scenario 8)', async () => {
    const answer = (await book(arrest({ name: { family: 'NEWMAN', given: 'NED' } }), ['107_1', '108_1'])).json();
    expect(answer.sre.srf).toBe('N');
    expect(answer.sre.fbiNumber).toMatch(/^\d+AB$/);
    expect(answer.immigration).toMatchObject({ status: 'NO_MATCH', message: 'no DHS record' });
  });

  it('tells a local agency about a prior port entry only through the IDR summary fields, and opens an ICE case (scenario 9)', async () => {
    const entry = (await enroll(traveller({ name: { family: 'MARTIN', given: 'LUC' } }), ['109_1', '110_1'])).json();
    const answer = (await book(arrest({ name: { family: 'MARTIN', given: 'LUC' } }), ['109_2', '110_2'])).json();
    expect(answer.immigration.status).toBe('MATCH');
    expect(answer.immigration.fin).toBe(entry.fin);
    expect(Object.keys(answer.immigration).sort()).toEqual(['fin', 'flags', 'iceContact', 'iceNotified', 'knownToDhs', 'message', 'statusClass', 'status'].sort());
    const cases = (await get('/v1/notifications', 'ice')).json();
    expect(cases.some((n: { kind: string; subjectRef: string }) => n.kind === 'iaq' && n.subjectRef === entry.fin)).toBe(true);
  });

  it('answers a resubmitted TCN with the first reply and creates nothing new (scenario 10)', async () => {
    const booking = arrest({ name: { family: 'TWICE', given: 'TOM' } });
    const first = (await book(booking, ['101_2', '102_1'])).json();
    const arrests = await countRows('criminal', 'arrests');
    const notifications = await countRows('gateway', 'notifications');
    const second = (await book(booking, ['101_2', '102_1'])).json();
    expect(second).toEqual(first);
    expect(await countRows('criminal', 'arrests')).toBe(arrests);
    expect(await countRows('gateway', 'notifications')).toBe(notifications);
  });
});

describe('rapid identification', () => {
  it('is red for a wanted person, amber for a known one, green for a stranger (scenarios 16, 17)', async () => {
    const booked = (await book(arrest({ name: { family: 'REDD', given: 'RAY' } }), ['107_2', '108_2'])).json();
    expect(booked.sre.srf).toBe('I'); // the same person booked in scenario 8
    const amber = (await post('/v1/identify?purpose=C', 'field', fingers('107_2', '108_2'))).json();
    expect(amber.color).toBe('amber');
    const wanted = await t.app.inject({
      method: 'POST',
      url: '/v1/wanted',
      headers: { authorization: `Bearer ${t.tokens.booking}` },
      payload: { fbiNumber: booked.sre.fbiNumber, warrantNo: 'TX-2026-0099', offense: 'ROBBERY', dateOfWarrant: today, extradition: 'limited' },
    });
    expect(wanted.statusCode).toBe(201);
    const red = (await post('/v1/identify?purpose=C', 'field', fingers('107_2', '108_2'))).json();
    expect(red.color).toBe('red');
    expect(red.summary.category).toContain('ROBBERY');
    expect(red.summary.fbiNumber).toBe(booked.sre.fbiNumber);
    expect(red).not.toHaveProperty('criminalHistory');
    const green = (await post('/v1/identify?purpose=C', 'field', [{ name: 'finger_2', file: fixturePrint('101_3') }])).json();
    expect(['green', 'amber']).toContain(green.color); // 101 was enrolled at a port: known, not wanted
  });
});

describe('one-stop history', () => {
  it('merges both repositories for a local user with purpose C, withholding what policy removes (scenario 19)', async () => {
    const booked = (await book(arrest({ name: { family: 'MARTIN', given: 'LUC' } }), ['109_2', '110_2'])).json();
    const history = (await get(`/v1/subjects/${booked.sre.fbiNumber}/history?purpose=C`, 'booking')).json();
    expect(history.timeline.some((e: { source: string }) => e.source === 'criminal')).toBe(true);
    expect(history.immigrationSummary.knownToDhs).toBe(true);
    expect(history.timeline.some((e: { source: string }) => e.source === 'immigration')).toBe(false); // summary only
    expect(history.withheld).toBe(true);
    const full = (await get(`/v1/subjects/${booked.sre.fbiNumber}/history?purpose=C`, 'ice')).json();
    expect(full.timeline.some((e: { source: string }) => e.source === 'immigration')).toBe(true);
  });

  it('gives no immigration data for purpose J, and refuses and audits a request without purpose or from an administrator (scenarios 20, 21)', async () => {
    const booked = (await book(arrest({ name: { family: 'MARTIN', given: 'LUC' } }), ['109_2', '110_2'])).json();
    const j = (await get(`/v1/subjects/${booked.sre.fbiNumber}/history?purpose=J`, 'booking')).json();
    expect(j.immigrationSummary).toBeUndefined();
    expect(j.identifiers.fin).toBeUndefined();
    const audits = await countRows('gateway', 'audit_log');
    const none = await get(`/v1/subjects/${booked.sre.fbiNumber}/history`, 'booking');
    expect(none.statusCode).toBe(400);
    expect(none.json().error.code).toBe('MISSING_PURPOSE');
    const admin = await get(`/v1/subjects/${booked.sre.fbiNumber}/history?purpose=C`, 'admin');
    expect(admin.statusCode).toBe(403);
    const [last] = await t.system.databases.gateway!.query<{ event: string; outcome: string }>('SELECT event, outcome FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(last).toEqual({ event: 'privileged.history_refused', outcome: 'refused' });
    expect(await countRows('gateway', 'audit_log')).toBe(audits + 2);
  });
});

describe('audit trail', () => {
  it('holds a complete record for each disclosure and detects any edit (scenario 22)', async () => {
    const [row] = await t.system.databases.gateway!.query<Record<string, unknown>>(`SELECT * FROM audit_log WHERE event = 'booking.answer' ORDER BY seq LIMIT 1`);
    for (const field of ['at', 'component', 'event', 'user_id', 'outcome', 'ori', 'purpose', 'tcn', 'record_ids', 'field_classes']) expect(row[field]).toBeTruthy();
    expect((await get('/v1/audit/verify', 'privacy')).json()).toMatchObject({ ok: true });
    await t.system.databases.gateway!.query(`UPDATE audit_log SET outcome = 'failure' WHERE seq = $1`, [row.seq]);
    const verdict = (await get('/v1/audit/verify', 'privacy')).json();
    expect(verdict).toMatchObject({ ok: false, firstBroken: Number(row.seq) });
    await t.system.databases.gateway!.query(`UPDATE audit_log SET outcome = 'success' WHERE seq = $1`, [row.seq]);
  });
});

describe('bad input', () => {
  it('refuses unknown users (401) and roles without the right (403)', async () => {
    const anonymous = await t.app.inject({ method: 'GET', url: '/v1/notifications' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const forged = await t.app.inject({ method: 'GET', url: '/v1/notifications', headers: { authorization: 'Bearer cct_forged' } });
    expect(forged.statusCode).toBe(401);
    const fieldBooking = await book(arrest(), ['101_1', '102_1'], 'field');
    expect(fieldBooking.statusCode).toBe(403);
  });

  it('names the missing part, the finger that is not an image, and stores nothing (400, 422)', async () => {
    const encounters = await countRows('immigration', 'encounters');
    const missing = await post('/v1/encounters', 'port', fingers('101_1', '102_1'));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('MISSING_PART');
    const notImage = await post('/v1/encounters', 'port', [
      { name: 'subject', json: traveller() },
      { name: 'finger_2', file: fixturePrint('101_1') },
      { name: 'finger_7', file: new TextEncoder().encode('this is not a fingerprint') },
    ]);
    expect(notImage.statusCode).toBe(422);
    expect(notImage.json().error).toMatchObject({ code: 'NOT_AN_IMAGE', where: { part: 'finger_7' } });
    const badDate = await enroll(traveller({ dob: '2026-13-40' }), ['101_1', '102_1']);
    expect(badDate.statusCode).toBe(400);
    expect(await countRows('immigration', 'encounters')).toBe(encounters);
  });

  it('refuses an oversized upload with 413', async () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    const response = await post('/v1/identify?purpose=C', 'field', [{ name: 'finger_2', file: big }]);
    expect([response.statusCode, response.json().error.code]).toEqual([413, 'IMAGE_TOO_LARGE']);
  });

  it('serves health', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.json()).toMatchObject({ status: 'ok', nodes: { gateway: 'up', immigration: 'up', criminal: 'up' } });
  });
});

