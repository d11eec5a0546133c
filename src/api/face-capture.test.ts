import { describe, expect, it } from 'vitest';
import { samplePhoto, samplePortrait } from '../infra/faces/sample-faces.ts';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** The traveller's photo at the port: checked at capture, and compared 1:1 with the photos on record when they return. */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);
let tcn = 0;

function encounter(prints: [string, string], photo: Uint8Array, subject: { family: string; document: string; photoOverride?: string }) {
  return t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn: `FC-${Date.now()}-${tcn++}`, port: 'JFK', inspectionDate: today, admissionClass: 'B2', name: { family: subject.family, given: 'EVA' }, dob: '1990-04-04', sex: 'F', nationality: 'DEU', document: { type: 'passport', number: subject.document, issuingCountry: 'DEU' }, ...(subject.photoOverride ? { photoOverride: subject.photoOverride } : {}) } },
    { name: 'finger_2', file: fixturePrint(prints[0]) },
    { name: 'finger_7', file: fixturePrint(prints[1]) },
    { name: 'photo', file: photo },
  ]);
}

const lastAudit = async (like: string) =>
  (await t.system.databases.gateway!.query<{ event: string; outcome: string; record_ids: string[] }>(`SELECT event, outcome, record_ids FROM audit_log WHERE event LIKE $1 ORDER BY seq DESC LIMIT 1`, [like]))[0];
const encounters = async () => Number((await t.system.databases.immigration!.query<{ n: number }>('SELECT count(*)::int AS n FROM encounters'))[0].n);

describe('traveller photo capture checks', () => {
  it('refuses a photo with several faces, naming the failed check and its value, audits the refusal and stores nothing', async () => {
    const before = await encounters();
    const response = await encounter(['101_1', '102_1'], await samplePhoto(1), { family: 'GROUP', document: 'C100' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({ code: 'FACE_COUNT', where: { failed: 'one_face', one_face: 3 } });
    expect(await encounters()).toBe(before);
    expect(await lastAudit('%.refused')).toMatchObject({ event: 'enroll.refused', outcome: 'refused', record_ids: ['reason:FACE_COUNT'] });
  });

  it('takes a failing photo when the officer accepts it with a reason, and audits the override with the reason', async () => {
    const response = await encounter(['103_1', '104_1'], await samplePortrait('s6f2', { blur: 2.5 }), { family: 'BLUR', document: 'C200', photoOverride: 'camera fogged; traveller in a wheelchair, retake not possible' });
    expect(response.statusCode, response.body).toBe(200);
    const audit = await lastAudit('encounter.photo_override');
    expect(audit.record_ids).toEqual(expect.arrayContaining([response.json().fin, 'failed_checks:sharpness', 'override_reason:camera fogged; traveller in a wheelchair, retake not possible']));
    const [stored] = await t.system.databases.immigration!.query<{ override_reason: string; face_generation: number }>('SELECT override_reason, face_generation FROM photos WHERE fin = $1', [response.json().fin]);
    expect(stored).toEqual({ override_reason: 'camera fogged; traveller in a wheelchair, retake not possible', face_generation: 1 });
  });
});

describe('capture checks without enrolling (the port console\'s live checks)', () => {
  const check = (photo: Uint8Array, user = 'port') => t.post('/v1/faces/check', user, [{ name: 'photo', file: photo }]);

  it('scores a photo as an enrollment would, stores nothing, and audits who checked it and what failed', async () => {
    const before = await encounters();
    const good = await check(await samplePortrait('s5f0'));
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({ passed: true, faces: 1, failed: [] });
    expect(good.json().checks.map((c: { check: string }) => c.check)).toEqual(expect.arrayContaining(['one_face', 'face_size', 'yaw', 'sharpness', 'exposure']));
    const group = await check(await samplePhoto(1));
    expect(group.json()).toMatchObject({ passed: false, faces: 3, failed: ['one_face'] });
    expect(await encounters()).toBe(before);
    expect(await lastAudit('face.check')).toMatchObject({ event: 'face.check', outcome: 'success', record_ids: ['faces:3', 'failed_check:one_face'] });
  });

  it('refuses what is no photo with the same typed error as an enrollment, and a role that enrols no one', async () => {
    const garbage = await check(new TextEncoder().encode('not a photo'));
    expect([garbage.statusCode, garbage.json().error.code]).toEqual([422, 'NOT_AN_IMAGE']);
    const field = await check(await samplePortrait('s5f0'), 'field');
    expect([field.statusCode, field.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });
});

describe('1:1 face verification of a returning traveller', () => {
  it('admits a returning traveller whose new photo matches the one on record, and keeps the template sealed', async () => {
    const first = await encounter(['105_1', '106_1'], await samplePortrait('s6f2'), { family: 'SAME', document: 'C300' });
    expect(first.statusCode, first.body).toBe(200);
    const [row] = await t.system.databases.immigration!.query<{ face_template: Uint8Array }>('SELECT face_template FROM photos WHERE fin = $1', [first.json().fin]);
    // Sealed: the stored bytes are not the template's own format ("CFF").
    expect(Buffer.from(row.face_template).subarray(0, 3).toString('latin1')).not.toBe('CFF');
    const back = await encounter(['105_2', '106_2'], await samplePortrait('s6f2', { shift: 0.08, width: 320, brightness: 1.15, quality: 70 }), { family: 'SAME', document: 'C300' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ fin: first.json().fin, returningTraveller: true, decision: 'admit', faceVerification: { compared: 1, mismatch: false, nearest: { match: true } } });
  });

  it('refers a returning traveller whose photo matches none on record to secondary inspection, with the distance and its FMR', async () => {
    const first = await encounter(['107_1', '108_1'], await samplePortrait('s5f0'), { family: 'OTHER', document: 'C400' });
    expect(first.statusCode, first.body).toBe(200);
    const back = await encounter(['107_2', '108_2'], await samplePortrait('s3f0'), { family: 'OTHER', document: 'C400' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json().decision).toBe('refer_secondary');
    const hit = back.json().hits.find((h: { kind: string }) => h.kind === 'face_mismatch');
    expect(hit.detail).toMatchObject({ fin: first.json().fin, photosCompared: 1, fmr: expect.stringMatching(/^FMR \d+\/\d+ measured/) });
    expect(hit.detail.distance).toBeGreaterThan(hit.detail.threshold);
  });

  it('makes the face template again from the stored photo where the current model did not make it', async () => {
    const enrolled = await encounter(['109_1', '110_1'], await samplePortrait('s5f3'), { family: 'BEFORE', document: 'C500' });
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const fin = enrolled.json().fin;
    const immigration = t.system.databases.immigration!;
    // As a photo stored before faces were analysed.
    await immigration.query('UPDATE photos SET face_template = NULL, face_generation = NULL WHERE fin = $1', [fin]);
    const report = await t.system.immigration!.reextractTemplates();
    expect(report.reextracted).toBeGreaterThanOrEqual(1);
    const [row] = await immigration.query<{ face_generation: number; sealed: boolean }>('SELECT face_generation, face_template IS NOT NULL AS sealed FROM photos WHERE fin = $1', [fin]);
    expect(row).toEqual({ face_generation: 1, sealed: true });
  });
});
