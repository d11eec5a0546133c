import { describe, expect, it, beforeAll } from 'vitest';
import { samplePhoto, samplePortrait } from '../infra/faces/sample-faces.ts';
import { fixturePrint, multipart, useTestSystem } from '../testing/test-system.ts';

/** 1:N face search: leads among immigration violators only, under a grant that allows it, audited as leads. */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);
const lastYear = `${Number(today.slice(0, 4)) - 1}-01-10`;

async function enroll(family: string, prints: [string, string], photo: Uint8Array, inspectionDate: string): Promise<string> {
  const response = await t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn: `FS-${family}-${Date.now()}`, port: 'BOS', inspectionDate, admissionClass: 'B2', name: { family, given: 'IDA' }, dob: '1988-03-03', sex: 'F', nationality: 'ITA', document: { type: 'passport', number: `P-${family}`, issuingCountry: 'ITA' } } },
    { name: 'finger_2', file: fixturePrint(prints[0]) },
    { name: 'finger_7', file: fixturePrint(prints[1]) },
    { name: 'photo', file: photo },
  ]);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().fin;
}

async function search(user: string, purpose: string, photo: Uint8Array) {
  const { body, contentType } = multipart([{ name: 'photo', file: photo }]);
  return t.app.inject({ method: 'POST', url: `/v1/faces/search?purpose=${purpose}`, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens[user]}` } });
}

const lastAudit = async () => (await t.system.databases.gateway!.query<{ event: string; record_ids: string[]; field_classes: string[] }>(`SELECT event, record_ids, field_classes FROM audit_log WHERE event LIKE 'face_search.%' ORDER BY seq DESC LIMIT 1`))[0];

let overstayer: string;
let lawful: string;
beforeAll(async () => {
  // Admitted for six months a year ago, never left: an overstay, so in the violators' gallery.
  overstayer = await enroll('OVERSTAY', ['109_1', '110_1'], await samplePortrait('s6f2'), lastYear);
  lawful = await enroll('LAWFUL', ['101_1', '102_1'], await samplePortrait('s5f0'), today);
}, 120_000);

describe('1:N face search', () => {
  it('answers an investigator\'s photo with the violator as a lead, never an identification, and audits the leads', async () => {
    const response = await search('fbi', 'C', await samplePortrait('s6f2', { shift: -0.06, brightness: 0.85, quality: 60 }));
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.identification).toBe(false);
    expect(answer.notice).toMatch(/never an identification/);
    expect(answer.candidates[0]).toMatchObject({ subject: overstayer, withinThreshold: true });
    expect(await lastAudit()).toMatchObject({ event: 'face_search.leads', record_ids: expect.arrayContaining([`lead:${overstayer}`]), field_classes: ['face_lead'] });
  });

  it('never searches a lawful traveller\'s photo', async () => {
    const response = await search('fbi', 'C', await samplePortrait('s5f0', { width: 300 }));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().candidates.map((c: { subject: string }) => c.subject)).not.toContain(lawful);
  });

  it('refuses a purpose whose grant allows no face search, audited, before the photo is analysed', async () => {
    const response = await search('fbi', 'J', new TextEncoder().encode('not even a photo'));
    expect([response.statusCode, response.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await lastAudit()).event).toBe('face_search.refused');
  });

  it('refuses a photo with several faces: a search needs one', async () => {
    const response = await search('fbi', 'C', await samplePhoto(3));
    expect([response.statusCode, response.json().error.code]).toEqual([422, 'FACE_COUNT']);
  });

  it('adds no face leads to a rapid identification whose prints are not amber, and refuses its photo without one face', async () => {
    const identify = async (photo: Uint8Array) => {
      const { body, contentType } = multipart([{ name: 'finger_2', file: fixturePrint('103_1') }, { name: 'photo', file: photo }]);
      return t.app.inject({ method: 'POST', url: '/v1/identify?purpose=C', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.fbi}` } });
    };
    const green = await identify(await samplePortrait('s6f2'));
    expect(green.statusCode, green.body).toBe(200);
    expect(green.json().color).toBe('green');
    expect(green.json().faceLeads).toBeUndefined();
    const group = await identify(await samplePhoto(2));
    expect([group.statusCode, group.json().error.code]).toEqual([422, 'FACE_COUNT']);
  });

  it('answers a rapid identification with a photo and no prints amber, with the violator as a lead, naming no one, audited as leads', async () => {
    const identify = async (user: string, purpose: string, tcn: string) => {
      const { body, contentType } = multipart([{ name: 'tcn', text: tcn }, { name: 'photo', file: await samplePortrait('s6f2', { shift: 0.05, quality: 70 }) }]);
      return t.app.inject({ method: 'POST', url: `/v1/identify?purpose=${purpose}`, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens[user]}` } });
    };
    const response = await identify('fbi', 'C', `FACEONLY-${Date.now()}`);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.color).toBe('amber');
    expect(answer.summary).toMatchObject({ matchLevel: 'none', category: expect.stringMatching(/no fingerprints searched/) });
    expect([answer.summary.name, answer.summary.fin, answer.summary.fbiNumber]).toEqual([undefined, undefined, undefined]);
    expect(answer.faceLeads).toMatchObject({ identification: false, candidates: [expect.objectContaining({ subject: overstayer })] });
    const audited = (await t.system.databases.gateway!.query<{ event: string; record_ids: string[]; field_classes: string[] }>(`SELECT event, record_ids, field_classes FROM audit_log WHERE event LIKE 'identify.%' ORDER BY seq DESC LIMIT 1`))[0];
    expect(audited).toMatchObject({ event: 'identify.answer', record_ids: expect.arrayContaining([`lead:${overstayer}`]), field_classes: ['face_lead'] });
    // A purpose whose grant allows no face search gets nothing from the photo, and the refusal is audited.
    const refused = await identify('fbi', 'J', `FACEONLY-J-${Date.now()}`);
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const last = (await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log ORDER BY seq DESC LIMIT 1`))[0];
    expect(last.event).toBe('identify.refused');
  });

  it('asks the grant before it looks at a photo sent without prints', async () => {
    const { body, contentType } = multipart([{ name: 'tcn', text: `FACEONLY-GROUP-${Date.now()}` }, { name: 'photo', file: await samplePhoto(3) }]);
    const response = await t.app.inject({ method: 'POST', url: '/v1/identify?purpose=J', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.fbi}` } });
    expect([response.statusCode, response.json().error.code]).toEqual([403, 'FORBIDDEN']);
    const last = (await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log ORDER BY seq DESC LIMIT 1`))[0];
    expect(last.event).toBe('identify.refused');
  });

  it('still refuses a rapid identification with neither prints nor a photo', async () => {
    const { body, contentType } = multipart([{ name: 'tcn', text: `EMPTY-${Date.now()}` }]);
    const response = await t.app.inject({ method: 'POST', url: '/v1/identify?purpose=C', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.fbi}` } });
    expect([response.statusCode, response.json().error.code]).toEqual([400, 'FINGER_COUNT']);
  });
});
