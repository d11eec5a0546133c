import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { samplePortrait } from '../infra/faces/sample-faces.ts';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** Face photos: stored with the enrollment without metadata, released only under a full immigration grant. */
const t = useTestSystem();

const today = new Date().toISOString().slice(0, 10);
const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });

async function enroll(photo: Uint8Array) {
  return t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn: `PH-${Date.now()}`, port: 'MIA', inspectionDate: today, admissionClass: 'B2', name: { family: 'FACE', given: 'ANA' }, dob: '1993-09-09', sex: 'F', nationality: 'BRA', document: { type: 'passport', number: 'F1', issuingCountry: 'BRA' } } },
    { name: 'finger_2', file: fixturePrint('107_1') },
    { name: 'finger_7', file: fixturePrint('108_1') },
    { name: 'photo', file: photo },
  ]);
}

describe('face photos', () => {
  it('stores the photo as a metadata-free JPEG and releases it under a full immigration grant only, audited', async () => {
    const camera = await sharp(await samplePortrait('s6f2', { width: 1200 }))
      .withMetadata({ exif: { IFD0: { Make: 'SecretCam', Copyright: 'GPS 38.9,-77.0' } } })
      .jpeg()
      .toBuffer();
    const enrolled = await enroll(new Uint8Array(camera));
    expect(enrolled.statusCode, enrolled.body).toBe(200);
    const fin = enrolled.json().fin;

    const history = (await get(`/v1/subjects/${fin}/history?purpose=I`, 'port')).json();
    expect(history.photoAvailable).toBe(true);
    const photo = await get(`/v1/subjects/${fin}/photo?purpose=I`, 'port');
    expect([photo.statusCode, photo.headers['content-type']]).toEqual([200, 'image/jpeg']);
    const meta = await sharp(photo.rawPayload).metadata();
    expect([meta.format, Math.max(meta.width!, meta.height!)]).toEqual(['jpeg', 640]);
    expect(meta.exif).toBeUndefined();
    expect(photo.rawPayload.includes('SecretCam')).toBe(false);

    const local = await get(`/v1/subjects/${fin}/photo?purpose=C`, 'booking');
    expect(local.statusCode).toBe(403);
    const events = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event LIKE 'photo.%' ORDER BY seq`);
    expect(events.map((e) => e.event)).toEqual(['photo.disclose', 'photo.refused']);
  });

  it('refuses a photo that is not an image, and stores nothing', async () => {
    const before = Number((await t.system.databases.immigration!.query<{ n: number }>('SELECT count(*)::int AS n FROM encounters'))[0].n);
    const response = await enroll(new TextEncoder().encode('not a picture'));
    expect([response.statusCode, response.json().error.code]).toEqual([422, 'NOT_AN_IMAGE']);
    expect(Number((await t.system.databases.immigration!.query<{ n: number }>('SELECT count(*)::int AS n FROM encounters'))[0].n)).toBe(before);
  });
});
