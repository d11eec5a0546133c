import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FaceRecordInput } from '../formats/ansi-nist/face-records.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { writeTransaction } from '../formats/ansi-nist/write-transaction.ts';
import { buildSubmission, type SubmissionFinger } from '../formats/ebts/build-submission.ts';
import { readEbtsResponse } from '../formats/ebts/responses.ts';
import type { SubjectDescription, SubmissionTot } from '../formats/ebts/submission.ts';
import { encodeJpeg2000 } from '../formats/jpeg2000/index.ts';
import { encodeWsq } from '../formats/wsq/index.ts';
import { samplePhoto, samplePortrait } from '../infra/faces/sample-faces.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** Faces in EBTS transactions: a Type-10 face is checked, stored and searched like a photo sent as JSON; answers carry the photo on record. */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);
const lastYear = `${Number(today.slice(0, 4)) - 1}-01-10`;
const BOOKING_ORI = 'TX0570000';
const ICE_ORI = 'VTICE0900';
let counter = 0;

async function wsqFingers(names: [string, string]): Promise<SubmissionFinger[]> {
  return Promise.all(
    ([[2, names[0]], [7, names[1]]] as const).map(async ([position, name]) => {
      const image = await readFingerprintImage(fixturePrint(name));
      return { position, width: image.width, height: image.height, ppi: 500, compression: 'WSQ20' as const, data: encodeWsq(image) };
    }),
  );
}

async function jpegFace(jpeg: Uint8Array, override: Partial<FaceRecordInput> = {}): Promise<FaceRecordInput> {
  const { width = 0, height = 0 } = await sharp(jpeg).metadata();
  return { width, height, compression: 'JPEGB', colourSpace: 'SRGB', source: BOOKING_ORI, date: '20261201', data: jpeg, ...override };
}

const arrestee = (family: string): SubjectDescription => ({ name: `${family},SAM`, dateOfBirth: '19880412', sex: 'M', dateOfArrest: today.replace(/-/g, ''), arrestSegments: ['20261101 PETTY THEFT'] });

function submission(tot: SubmissionTot, subject: SubjectDescription, fingers: SubmissionFinger[], faces: FaceRecordInput[], ori = BOOKING_ORI): Uint8Array {
  return writeTransaction(buildSubmission({ tot, ori, tcn: `${tot}-F-${Date.now().toString(36)}-${counter++}`, at: new Date(), subject }, fingers, faces));
}

async function submit(bytes: Uint8Array, user: string) {
  const response = await t.app.inject({ method: 'POST', url: '/v1/ebts', payload: Buffer.from(bytes), headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${t.tokens[user]}` } });
  return { status: response.statusCode, answer: readEbtsResponse(readTransaction(new Uint8Array(response.rawPayload))) };
}

const criminalCount = async (table: string) => Number((await t.system.databases.criminal!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const stored = async () => ({ arrests: await criminalCount('arrests'), photos: await criminalCount('photos') });

describe('Type-10 faces in bookings (CAR)', () => {
  it('stores the face of a CAR as the booking photo, its template sealed and bound to the FBI number', async () => {
    const { status, answer } = await submit(submission('CAR', arrestee('FACEONE'), await wsqFingers(['101_1', '102_1']), [await jpegFace(await samplePortrait('s5f3'))]), 'booking');
    expect([status, answer.tot], answer.messages.join('\n')).toEqual([200, 'SRE']);
    const [row] = await t.system.databases.criminal!.query<{ tcn: string; face_template: Uint8Array; face_generation: number; checks: { check: string; passed: boolean | null }[] }>(
      'SELECT tcn, face_template, face_generation, capture_checks AS checks FROM photos WHERE fbi_number = $1',
      [answer.fbiNumber],
    );
    expect(row.tcn).toBe(answer.tcr);
    expect(row.face_generation).toBe(1);
    expect(row.checks.find((c) => c.check === 'one_face')?.passed).toBe(true);
    // Sealed: the stored bytes are not the template's own format ("CFF").
    expect(Buffer.from(row.face_template).subarray(0, 3).toString('latin1')).not.toBe('CFF');
    // A local agency's grant releases no photo: the SRE carries none.
    expect(answer.faces).toEqual([]);
    // Re-extraction covers booking photos: a template the current model did not make is made again.
    await t.system.databases.criminal!.query('UPDATE photos SET face_template = NULL, face_generation = NULL WHERE fbi_number = $1', [answer.fbiNumber]);
    expect((await t.system.criminal!.reextractTemplates()).reextracted).toBeGreaterThanOrEqual(1);
    const [again] = await t.system.databases.criminal!.query<{ generation: number; sealed: boolean }>('SELECT face_generation AS generation, face_template IS NOT NULL AS sealed FROM photos WHERE fbi_number = $1', [answer.fbiNumber]);
    expect(again).toEqual({ generation: 1, sealed: true });
  });

  it('releases the booking photo with a full criminal history under a criminal-justice grant, audited, and to no one else', async () => {
    const portrait = await samplePortrait('s3f0');
    const { status, answer } = await submit(submission('CAR', arrestee('FACEMUG'), await wsqFingers(['105_1', '106_1']), [await jpegFace(portrait)]), 'booking');
    expect([status, answer.tot], answer.messages.join('\n')).toEqual([200, 'SRE']);
    const fetchPhoto = (user: string, purpose: string) => t.app.inject({ method: 'GET', url: `/v1/subjects/${answer.fbiNumber}/booking-photo?purpose=${purpose}`, headers: { authorization: `Bearer ${t.tokens[user]}` } });
    const released = await fetchPhoto('booking', 'C');
    expect(released.statusCode, released.body).toBe(200);
    expect(released.headers['content-type']).toBe('image/jpeg');
    const [sent, got] = await Promise.all([sharp(portrait).metadata(), sharp(released.rawPayload).metadata()]);
    expect([got.width, got.height]).toEqual([sent.width, sent.height]);
    const [audited] = await t.system.databases.gateway!.query<{ event: string; record_ids: string[] }>(`SELECT event, record_ids FROM audit_log WHERE event LIKE 'photo.%' ORDER BY seq DESC LIMIT 1`);
    expect(audited).toEqual({ event: 'photo.disclose', record_ids: [answer.fbiNumber] });
    // The history says there is one to fetch, where the same grant would release it.
    const history = async (purpose: string) => (await t.app.inject({ method: 'GET', url: `/v1/subjects/${answer.fbiNumber}/history?purpose=${purpose}`, headers: { authorization: `Bearer ${t.tokens.booking}` } })).json();
    expect((await history('C')).bookingPhotoAvailable).toBe(true);
    expect((await history('J')).bookingPhotoAvailable).toBeUndefined();
    // An employment check (J) and the port (a criminal summary) get no face; the refusals are audited.
    for (const [user, purpose] of [['booking', 'J'], ['port', 'C']]) {
      const refused = await fetchPhoto(user, purpose);
      expect([refused.statusCode, refused.json().error.code], `${user} ${purpose}`).toEqual([403, 'FORBIDDEN']);
      const [last] = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event LIKE 'photo.%' ORDER BY seq DESC LIMIT 1`);
      expect(last.event).toBe('photo.refused');
    }
    // A sealed arrest's photo, or a juvenile's, is neither released nor said to exist.
    for (const hidden of ['sealed = true', 'juvenile = true']) {
      await t.system.databases.criminal!.query(`UPDATE arrests SET ${hidden} WHERE fbi_number = $1`, [answer.fbiNumber]);
      const withheld = await fetchPhoto('booking', 'C');
      expect([withheld.statusCode, withheld.json().error.code], hidden).toEqual([404, 'SUBJECT_NOT_FOUND']);
      expect((await history('C')).bookingPhotoAvailable, hidden).toBeUndefined();
      await t.system.databases.criminal!.query('UPDATE arrests SET sealed = false, juvenile = false WHERE fbi_number = $1', [answer.fbiNumber]);
    }
    // A subject booked without a face has none to give.
    const bare = await submit(submission('CAR', arrestee('NOFACE'), await wsqFingers(['107_1', '108_1']), []), 'booking');
    const none = await t.app.inject({ method: 'GET', url: `/v1/subjects/${bare.answer.fbiNumber}/booking-photo?purpose=C`, headers: { authorization: `Bearer ${t.tokens.booking}` } });
    expect([none.statusCode, none.json().error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
  });

  it('takes a face sent as lossless JPEG 2000 (JP2L)', async () => {
    const { data, info } = await sharp(await samplePortrait('s6f0')).grayscale().raw().toBuffer({ resolveWithObject: true });
    const jp2 = encodeJpeg2000({ width: info.width, height: info.height, pixels: new Uint8Array(data) }, { lossless: true });
    const face: FaceRecordInput = { width: info.width, height: info.height, compression: 'JP2L', colourSpace: 'GRAY', source: BOOKING_ORI, date: '20261201', data: jp2 };
    const { status, answer } = await submit(submission('CAR', arrestee('FACEJPEG'), await wsqFingers(['103_1', '104_1']), [face]), 'booking');
    expect([status, answer.tot], answer.messages.join('\n')).toEqual([200, 'SRE']);
    const [row] = await t.system.databases.criminal!.query<{ generation: number }>('SELECT face_generation AS generation FROM photos WHERE fbi_number = $1', [answer.fbiNumber]);
    expect(row.generation).toBe(1);
  });

  it('refuses bad Type-10 faces with an ERRT naming the record, the field and the failed check, and stores nothing', async () => {
    const fingers = await wsqFingers(['105_1', '106_1']);
    const portrait = await samplePortrait('s5f0');
    const before = await stored();
    // Faces are the fourth record: Type-1, Type-2, two Type-14s, then the Type-10.
    const cases: [string, FaceRecordInput, RegExp][] = [
      ['several faces', await jpegFace(await samplePhoto(1)), /^FACE_COUNT: record 5 \(Type-10\), field 10\.999, face IDC 3 fails the portrait checks: one face 3/],
      ['not an image', await jpegFace(portrait, { data: new TextEncoder().encode('this is no JPEG at all') }), /^NOT_AN_IMAGE: record 5 \(Type-10\), field 10\.999/],
      ['wrong dimensions', await jpegFace(portrait, { width: 4000 }), /^AN_IMAGE_SIZE: record 5 \(Type-10\), field 10\.006.*says 4000.\d+ but the JPEG image is/],
      ['too small', await jpegFace(await sharp(portrait).resize(120).jpeg().toBuffer()), /^IMAGE_DIMENSIONS: record 5 \(Type-10\), field 10\.999.*a face can be measured from 160 pixels/],
      ['uncompressed', await jpegFace(portrait, { compression: 'NONE' as 'PNG' }), /^AN_UNSUPPORTED_COMPRESSION: record 5 \(Type-10\), field 10\.011/],
      ['a blurred portrait', await jpegFace(await samplePortrait('s6f2', { blur: 2.5 })), /^FACE_CAPTURE_FAILED: .*record 5 \(Type-10\).*sharpness/],
    ];
    for (const [what, face, expected] of cases) {
      const { status, answer } = await submit(submission('CAR', arrestee('BADFACE'), fingers, [face]), 'booking');
      expect([status, answer.tot], what).toEqual([422, 'ERRT']);
      expect(answer.messages[0], what).toMatch(expected);
    }
    expect(await stored()).toEqual(before);
  });
});

describe('Type-10 faces in searches (RPIS) and in answers', () => {
  let overstayer: string;
  beforeAll(async () => {
    // Admitted for six months a year ago, never left: a violator, found by prints and by face.
    const response = await t.post('/v1/encounters', 'port', [
      { name: 'subject', json: { tcn: `EF-${Date.now()}`, port: 'BOS', inspectionDate: lastYear, admissionClass: 'B2', name: { family: 'OVERSTAY', given: 'IDA' }, dob: '1988-03-03', sex: 'F', nationality: 'ITA', document: { type: 'passport', number: 'P-EBTSFACE', issuingCountry: 'ITA' } } },
      { name: 'finger_2', file: fixturePrint('109_1') },
      { name: 'finger_7', file: fixturePrint('110_1') },
      { name: 'photo', file: await samplePortrait('s6f2') },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    overstayer = response.json().fin;
  }, 120_000);

  it('answers an RPIS under a full immigration grant with the traveller\'s photo on record in a Type-10, and its face as a lead, audited', async () => {
    const probe = await jpegFace(await samplePortrait('s6f2', { shift: -0.06, brightness: 0.85, quality: 60 }), { source: ICE_ORI });
    const { status, answer } = await submit(submission('RPIS', {}, await wsqFingers(['109_2', '110_2']), [probe], ICE_ORI), 'ice');
    expect([status, answer.tot], answer.messages.join('\n')).toEqual([200, 'RPISR']);
    // Amber prints and a face under a grant that allows face searches: leads, said to be leads.
    expect(answer.messages).toEqual(expect.arrayContaining([expect.stringMatching(/^FACE LEADS, NOT AN IDENTIFICATION/), expect.stringMatching(new RegExp(`^FACE LEAD ${overstayer} `))]));
    expect(answer.faces).toHaveLength(1);
    expect(answer.faces[0].compression).toBe('JPEGB');
    const photo = Buffer.from(answer.faces[0].image, 'base64');
    expect((await sharp(photo).metadata()).format).toBe('jpeg');
    const [audit] = await t.system.databases.gateway!.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'photo.disclose' ORDER BY seq DESC LIMIT 1`);
    expect(audit.record_ids).toEqual([overstayer]);
  });

  it('sends no photo to a requester whose grant releases none', async () => {
    const { status, answer } = await submit(submission('RPIS', {}, await wsqFingers(['109_2', '110_2']), []), 'field');
    expect(status).toBe(200);
    expect(answer.faces).toEqual([]);
  });

  it('refuses an RPIS whose Type-10 shows several faces, naming the record', async () => {
    const { status, answer } = await submit(submission('RPIS', {}, await wsqFingers(['109_2', '110_2']), [await jpegFace(await samplePhoto(2))]), 'field');
    expect([status, answer.tot]).toEqual([422, 'ERRT']);
    expect(answer.messages[0]).toMatch(/^FACE_COUNT: record 5 \(Type-10\)/);
  });
});
