import { describe, expect, it, vi } from 'vitest';
import { fixturePrint, indexPrints, useTestSystem } from '../testing/test-system.ts';
import { KeyRing } from '../infra/crypto/key-ring.ts';
import { sealedFor } from '../repositories/shared/template-sealer.ts';
import { decodeTemplate, encodeTemplate } from '../biometrics/template-codec.ts';
import { EXTRACTOR_GENERATION, extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { decodeWsq } from '../formats/wsq/index.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';

/** After an engine upgrade, stored templates an older extractor made are made again from their images. */
const keys = KeyRing.ephemeral();
const t = useTestSystem({ keys });
const today = new Date().toISOString().slice(0, 10);


interface SampleRow {
  id: number;
  position: number;
  template: Uint8Array;
  image: Uint8Array;
  extractor: number | null;
}

describe('re-extracting stored templates', () => {
  it('remakes the templates of an older extractor from their images, and the repository matches on them at once', async () => {
    const booked = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'CAR-REX-1', purpose: 'C', name: { family: 'ROUX', given: 'PAUL' }, dob: '1970-05-06', sex: 'M', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] } },
      ...indexPrints('109_1', '110_1'),
    ]);
    expect(booked.statusCode, booked.body).toBe(200);
    const fbiNumber = booked.json().sre.fbiNumber as string;
    const criminal = t.system.databases.criminal!;
    const samples = () => criminal.query<SampleRow>('SELECT id, position, template, image, extractor FROM samples WHERE fbi_number = $1 ORDER BY position', [fbiNumber]);
    expect((await samples()).map((row) => row.extractor)).toEqual([EXTRACTOR_GENERATION, EXTRACTOR_GENERATION]);

    // As stored by an older extractor: templates that no longer match these fingers well (here, another finger's).
    const stranger = encodeTemplate(extractTemplate(await readFingerprintImage(fixturePrint('105_1'))));
    for (const row of await samples()) {
      await criminal.execute('UPDATE samples SET template = $1, extractor = 1 WHERE id = $2', [keys.seal(stranger, sealedFor('samples.template', fbiNumber, Number(row.position))), row.id]);
    }
    await t.system.stopNode('criminal');
    await t.system.startNode('criminal');
    const identify = async () => (await t.post('/v1/identify?purpose=C', 'field', indexPrints('109_2', '110_2'))).json().summary.fbiNumber;
    expect(await identify()).toBeUndefined();

    const response = await t.app.inject({ method: 'POST', url: '/v1/admin/templates/reextract', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ reextracted: 2, withoutImage: 0, refused: [] });
    for (const row of await samples()) {
      expect(row.extractor).toBe(EXTRACTOR_GENERATION);
      const position = Number(row.position);
      const wsq = decodeWsq(keys.open(new Uint8Array(row.image), sealedFor('samples.image', fbiNumber, position)));
      const stored = decodeTemplate(keys.open(new Uint8Array(row.template), sealedFor('samples.template', fbiNumber, position)));
      expect(encodeTemplate(stored)).toEqual(encodeTemplate(extractTemplate({ ...wsq, ppi: wsq.ppi ?? 500 })));
    }
    expect(await identify()).toBe(fbiNumber); // the gallery holds the new templates without a restart

    const [audit] = await t.system.databases.gateway!.query<{ event: string; user_id: string; record_ids: string[] }>('SELECT event, user_id, record_ids FROM audit_log WHERE event = $1', ['templates.reextract']);
    expect(audit).toEqual({ event: 'templates.reextract', user_id: 'client:demo-admin', record_ids: ['2 templates re-extracted', '0 without an image'] });
    const again = await t.app.inject({ method: 'POST', url: '/v1/admin/templates/reextract', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(again.json()).toEqual({ reextracted: 0, withoutImage: 0, refused: [] });
  }, 60_000);

  it('refuses to run while a repository is down, and records that it did not run', async () => {
    await t.system.stopNode('immigration');
    try {
      const response = await t.app.inject({ method: 'POST', url: '/v1/admin/templates/reextract', headers: { authorization: `Bearer ${t.tokens.admin}` } });
      expect([response.statusCode, response.json().error.code]).toEqual([503, 'NODE_UNAVAILABLE']);
      const [last] = await t.system.databases.gateway!.query<{ event: string; outcome: string; record_ids: string[] }>('SELECT event, outcome, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1');
      expect(last).toEqual({ event: 'templates.reextract', outcome: 'failure', record_ids: ['NODE_UNAVAILABLE'] });
    } finally {
      await t.system.startNode('immigration');
    }
  });

  it('gives the ports’ watch list the new templates of a wanted subject', async () => {
    const booked = await t.post('/v1/bookings', 'booking', [
      { name: 'booking', json: { tcn: 'CAR-REX-2', purpose: 'C', name: { family: 'FAURE', given: 'LEON' }, dob: '1968-07-08', sex: 'M', dateOfArrest: today, charges: [{ literal: 'ROBBERY', severity: 'felony' }] } },
      ...indexPrints('107_1', '108_1'),
    ]);
    const fbiNumber = booked.json().sre.fbiNumber as string;
    const criminal = t.system.databases.criminal!;
    const stranger = encodeTemplate(extractTemplate(await readFingerprintImage(fixturePrint('104_1'))));
    for (const row of await criminal.query<SampleRow>('SELECT id, position FROM samples WHERE fbi_number = $1', [fbiNumber])) {
      await criminal.execute('UPDATE samples SET template = $1, extractor = 1 WHERE id = $2', [keys.seal(stranger, sealedFor('samples.template', fbiNumber, Number(row.position))), row.id]);
    }
    await t.system.stopNode('criminal');
    await t.system.startNode('criminal');
    // The warrant goes out with the templates stored: the older extractor's.
    const warrant = await t.app.inject({ method: 'POST', url: '/v1/wanted', headers: { authorization: `Bearer ${t.tokens.booking}` }, payload: { fbiNumber, warrantNo: 'TX-2026-0777', offense: 'ROBBERY', dateOfWarrant: today, extradition: 'full', caution: [] } });
    expect(warrant.statusCode, warrant.body).toBe(201);
    const wantedHitAtPort = async (tcn: string) => {
      const entry = await t.post('/v1/encounters', 'port', [
        { name: 'subject', json: { tcn, port: 'JFK', inspectionDate: today, admissionClass: 'B2', name: { family: 'FAURE', given: 'LEON' }, dob: '1968-07-08', sex: 'M', nationality: 'FRA', document: { type: 'passport', number: `P-${tcn}`, issuingCountry: 'FRA' } } },
        ...indexPrints('107_1', '108_1'),
      ]);
      return (entry.json().hits as { kind: string }[]).some((hit) => hit.kind === 'wanted');
    };
    await new Promise((resolve) => setTimeout(resolve, 300)); // the event reaches the ports' watch list
    expect(await wantedHitAtPort('POE-REX-1')).toBe(false);

    const response = await t.app.inject({ method: 'POST', url: '/v1/admin/templates/reextract', headers: { authorization: `Bearer ${t.tokens.admin}` } });
    expect(response.json()).toMatchObject({ reextracted: 2 });
    await vi.waitFor(async () => expect(await wantedHitAtPort(`POE-REX-${Date.now()}`)).toBe(true), { timeout: 5000, interval: 300 });
  });
});
