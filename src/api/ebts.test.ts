import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FingerprintBinaryRecord } from '../formats/ansi-nist/model.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { writeTransaction } from '../formats/ansi-nist/write-transaction.ts';
import { buildSubmission, type SubmissionFinger } from '../formats/ebts/build-submission.ts';
import { readEbtsResponse } from '../formats/ebts/responses.ts';
import type { SubjectDescription, SubmissionTot } from '../formats/ebts/submission.ts';
import { encodeWsq } from '../formats/wsq/index.ts';
import { readFingerprintImage } from '../infra/images/read-fingerprint-image.ts';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/** EBTS over HTTP: the acceptance scenarios on transaction files (domain brief §10: 8, 11, 13, 16, 17). */
let prints: SubmissionFinger[];
const t = useTestSystem();
beforeAll(async () => {
  prints = await Promise.all(
    [
      [2, '105_1'],
      [7, '106_1'],
    ].map(async ([position, name]) => {
      const image = await readFingerprintImage(fixturePrint(name as string));
      return { position: position as number, width: image.width, height: image.height, ppi: 500, compression: 'WSQ20' as const, data: encodeWsq(image) };
    }),
  );
}, 120_000);

const BOOKING_ORI = 'TX0570000';
let counter = 0;
const nextTcn = (tot: string) => `${tot}-${Date.now().toString(36)}-${counter++}`;

function submission(tot: SubmissionTot, subject: SubjectDescription, options: { ori?: string; fingers?: SubmissionFinger[] } = {}): { tcn: string; bytes: Uint8Array } {
  const tcn = nextTcn(tot);
  const transaction = buildSubmission({ tot, ori: options.ori ?? BOOKING_ORI, tcn, at: new Date(), subject }, options.fingers ?? prints);
  return { tcn, bytes: writeTransaction(transaction) };
}

const arrestee: SubjectDescription = {
  name: 'RIVERS,SAM',
  dateOfBirth: '19880412',
  sex: 'M',
  dateOfArrest: new Date().toISOString().slice(0, 10).replace(/-/g, ''),
  arrestSegments: ['20261101 PETTY THEFT'],
};

async function submit(bytes: Uint8Array, user = 'booking') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/v1/ebts',
    payload: Buffer.from(bytes),
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${t.tokens[user]}` },
  });
  const answer = response.headers['content-type'] === 'application/octet-stream' ? readEbtsResponse(readTransaction(new Uint8Array(response.rawPayload))) : undefined;
  return { status: response.statusCode, tot: response.headers['x-ebts-tot'], answer, body: response.body };
}

async function stored(): Promise<{ transactions: number; subjects: number; arrests: number }> {
  const count = async (node: 'gateway' | 'criminal', table: string) => Number((await t.system.databases[node]!.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  return { transactions: await count('gateway', 'transactions'), subjects: await count('criminal', 'subjects'), arrests: await count('criminal', 'arrests') };
}

describe('EBTS submissions', () => {
  let fbiNumber: string;

  it('answers a CAR for a person unknown to both repositories with an SRE: not identified, a new FBI number, no DHS record (scenario 8)', async () => {
    const { tcn, bytes } = submission('CAR', arrestee);
    const { status, tot, answer } = await submit(bytes);
    expect([status, tot]).toEqual([200, 'SRE']);
    expect(answer).toMatchObject({ tot: 'SRE', tcr: tcn, toAgency: BOOKING_ORI, srf: 'N', name: 'RIVERS,SAM' });
    expect(answer!.fbiNumber).toMatch(/\S/);
    expect(answer!.messages.some((m) => m.startsWith('IMMIGRATION NO_MATCH'))).toBe(true);
    // The booking says which record each finger was taken from.
    expect(answer!.messages.find((m) => m.startsWith('FINGERS: '))).toMatch(/^FINGERS: \d+ from record \d+ \(finger \d+\)/);
    fbiNumber = answer!.fbiNumber!;
    // The booking station's WSQ images are kept byte for byte, not compressed a second time.
    for (const finger of prints) {
      const sample = await t.system.criminal!.sample(fbiNumber, finger.position);
      expect(Buffer.from(sample.image!, 'base64').equals(Buffer.from(finger.data))).toBe(true);
    }
  });

  it('answers a resubmitted TCN with the same result and books nothing twice', async () => {
    const { bytes } = submission('CAR', arrestee);
    const before = await stored();
    const first = await submit(bytes);
    const again = await submit(bytes);
    expect(again.answer).toMatchObject({ srf: first.answer!.srf, fbiNumber: first.answer!.fbiNumber, tcr: first.answer!.tcr });
    expect((await stored()).arrests).toBe(before.arrests + 1);
  });

  it('answers an RPIS of the same two fingers with an amber RPISR: known, not wanted, no rap sheet (scenario 17)', async () => {
    const { tcn, bytes } = submission('RPIS', {}, {});
    const { status, tot, answer } = await submit(bytes, 'field');
    expect([status, tot]).toEqual([200, 'RPISR']);
    expect(answer).toMatchObject({ tcr: tcn, srf: 'I', fbiNumber });
    expect(answer!.messages[0]).toMatch(/^YELLOW/);
    expect(answer!.rapSheet).toBeUndefined();
  });

  it('answers a TPIS with an SRT naming the candidate', async () => {
    const { bytes } = submission('TPIS', { name: 'UNKNOWN,PERSON', dateOfBirth: '19880412', sex: 'M' });
    const { tot, answer } = await submit(bytes);
    expect(tot).toBe('SRT');
    expect(answer!.candidates).toEqual([{ fbiNumber, name: expect.stringContaining('RIVERS') }]);
  });

  it('refuses a CAR without 2.018 NAM, and one born on 20261340, with an ERRT naming the field; nothing is stored (scenario 13)', async () => {
    const before = await stored();
    const { tcn, bytes } = submission('CAR', { ...arrestee, name: undefined });
    const missing = await submit(bytes);
    expect([missing.status, missing.tot]).toEqual([400, 'ERRT']);
    expect(missing.answer).toMatchObject({ tot: 'ERRT', tcr: tcn, toAgency: BOOKING_ORI });
    expect(missing.answer!.messages.join('\n')).toMatch(/MISSING_FIELD: field 2\.018/);
    const badDate = await submit(submission('CAR', { ...arrestee, dateOfBirth: '20261340' }).bytes);
    expect(badDate.answer!.messages.join('\n')).toMatch(/INVALID_DATE: field 2\.022/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a file whose 1.001 LEN is wrong with an ERRT naming record 1 and field 1.001 (scenario 11)', async () => {
    const { tcn, bytes } = submission('CAR', arrestee);
    const text = Buffer.from(bytes);
    const colon = text.indexOf(':');
    const gs = text.indexOf(0x1d);
    const damaged = Buffer.concat([text.subarray(0, colon + 1), Buffer.from(String(Number(text.subarray(colon + 1, gs).toString()) + 3)), text.subarray(gs)]);
    const before = await stored();
    const { status, tot, answer } = await submit(damaged);
    expect([status, tot]).toEqual([422, 'ERRT']);
    expect(answer!.tcr).toBe(tcn);
    expect(answer!.messages.join('\n')).toMatch(/1\.001/);
    expect(await stored()).toEqual(before);
  });

  it('refuses a submission sent under another agency’s ORI, and bytes that are no transaction at all', async () => {
    const spoofed = await submit(submission('CAR', arrestee, { ori: 'NY0303000' }).bytes);
    expect([spoofed.status, spoofed.tot]).toEqual([400, 'ERRT']);
    expect(spoofed.answer!.messages[0]).toMatch(/^BAD_ORI/);
    const garbage = await submit(new TextEncoder().encode('definitely not an ANSI/NIST file'));
    expect(garbage.tot).toBe('ERRT');
    expect(garbage.answer!.toAgency).toBe(BOOKING_ORI);
    const refusals = await t.system.databases.gateway!.query<{ event: string }>(`SELECT event FROM audit_log WHERE event LIKE 'ebts.refused.%'`);
    expect(refusals.map((r) => r.event)).toEqual(expect.arrayContaining(['ebts.refused.BAD_ORI', 'ebts.refused.MISSING_FIELD']));
  });

  it('refuses a finger record too large for a fingerprint from its headers, before decoding its image', async () => {
    // A real stream whose frame header claims 2400×2400: decoding it would allocate 23 MB and then fail.
    const forged = prints[0].data.slice();
    const sof = forged.findIndex((byte, i) => byte === 0xff && forged[i + 1] === 0xa2);
    forged.set([0x09, 0x60, 0x09, 0x60], sof + 6);
    const big = await submit(submission('RPIS', {}, { fingers: [{ ...prints[0], width: 2400, height: 2400, data: forged }, prints[1]] }).bytes, 'field');
    expect([big.status, big.tot]).toEqual([422, 'ERRT']);
    expect(big.answer!.messages.join('\n')).toMatch(/IMAGE_DIMENSIONS: IDC \d+, finger position 2: image is 2400.2400 at 500 ppi/);
    // A record that says one size while its WSQ header says another is refused on the headers too.
    const mismatched = await submit(submission('RPIS', {}, { fingers: [{ ...prints[0], data: forged }, prints[1]] }).bytes, 'field');
    expect([mismatched.status, mismatched.tot]).toEqual([422, 'ERRT']);
    expect(mismatched.answer!.messages.join('\n')).toMatch(/AN_IMAGE_SIZE: .*but the WSQ image is 2400.2400/);
  });

  it('books a ten-print whose rolled prints fail quality from the fingers of its slap, and says where each came from', async () => {
    // Rolled prints 7–10 are smudges with no ridges; the NIST left four-finger slap (position 14) holds the same fingers.
    const smudge = (position: number): SubmissionFinger => ({ position, width: 400, height: 450, ppi: 500, compression: 'NONE', data: new Uint8Array(400 * 450).fill(190) });
    const nistSlaps = readTransaction(new Uint8Array(readFileSync(new URL('../../fixtures/ansi-nist/type-4-slaps.an2', import.meta.url))));
    const slap: SubmissionFinger = { position: 14, width: 1608, height: 1000, ppi: 500, compression: 'WSQ20', data: (nistSlaps.records[2] as FingerprintBinaryRecord).data };
    const smudges = [7, 8, 9, 10].map(smudge);
    const subject = { ...arrestee, name: 'SLAPPED,ONLY', dateOfBirth: '19790203' };

    const refused = await submit(submission('CAR', subject, { fingers: smudges }).bytes);
    expect([refused.status, refused.tot]).toEqual([422, 'ERRT']);
    expect(refused.answer!.messages.join('\n')).toMatch(/NO_RIDGE_AREA/);

    const { status, tot, answer } = await submit(submission('CAR', subject, { fingers: [...smudges, slap] }).bytes);
    expect([status, tot]).toEqual([200, 'SRE']);
    const sources = answer!.messages.find((m) => m.startsWith('FINGERS: '));
    expect(sources).toBe(`FINGERS: ${[7, 8, 9, 10].map((p) => `${p} from record 7 (slap 14, finger ${p}, cut by engine segmentation)`).join('; ')}`);
    // The slap cuts are what the repository keeps for the booked fingers.
    for (const position of [7, 8, 9, 10]) expect((await t.system.criminal!.sample(answer!.fbiNumber!, position)).image).toBeDefined();
  });

  it('asks for a token like every other route', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/v1/ebts', payload: Buffer.from(submission('CAR', arrestee).bytes), headers: { 'content-type': 'application/octet-stream' } });
    expect(response.statusCode).toBe(401);
  });
});
