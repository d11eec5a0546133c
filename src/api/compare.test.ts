import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** The examiner's side-by-side: a probe print against a subject's stored print and image. */
let fbiNumber: string;
const t = useTestSystem();
beforeAll(async () => {
  const booked = await t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn: 'CMP-1', purpose: 'C', name: { family: 'PAIRS', given: 'MIN' }, dob: '1977-07-07', sex: 'M', dateOfArrest: '2026-11-01', charges: [{ literal: 'FRAUD', severity: 'felony' }] } },
    { name: 'finger_2', file: fixturePrint('105_1') },
    { name: 'finger_7', file: fixturePrint('106_1') },
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  fbiNumber = booked.json().sre.fbiNumber;
}, 120_000);

const compare = (probe: string, position: number) =>
  t.post('/v1/compare?purpose=C', 'fbi', [
    { name: 'request', json: { subject: fbiNumber, position } },
    { name: 'probe', file: fixturePrint(probe) },
  ]);

describe('comparing a probe with a candidate', () => {
  it('shows the stored print beside the probe with the minutiae the matcher paired, and audits it', async () => {
    const response = await compare('105_2', 2);
    expect(response.statusCode, response.body).toBe(200);
    const answer = response.json();
    expect(answer.fmr).toBeLessThan(1e-4);
    expect(answer.pairs.length).toBeGreaterThanOrEqual(8);
    for (const [p, c] of answer.pairs) {
      expect(answer.probe.minutiae[p]).toBeDefined();
      expect(answer.candidate.minutiae[c]).toBeDefined();
    }
    expect(answer.candidate.image).toMatch(/^data:image\/png;base64,/);
    expect(answer.probe.image).toMatch(/^data:image\/png;base64,/);
    const [audit] = await t.system.databases.gateway!.query<{ field_classes: string[] }>(`SELECT field_classes FROM audit_log WHERE event = 'compare.disclose'`);
    expect(audit.field_classes).toEqual(['fingerprint_image']);
  });

  it('scores another finger as a non-match, and refuses a finger the subject has not given', async () => {
    expect((await compare('108_1', 2)).json().fmr).toBeGreaterThan(1e-3);
    const missing = await compare('105_2', 4);
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
  });
});
