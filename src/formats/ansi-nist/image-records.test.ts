import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import { buildTransaction, taggedRecord } from './build-records.ts';
import { decodeFingerImages } from './finger-images.ts';
import { decodeImageRecord, summarizeImages } from './image-records.ts';
import type { AnsiNistTransaction, TaggedRecord, Type4Record } from './model.ts';
import { encodeJpeg2000 } from '../jpeg2000/index.ts';
import { readTransaction } from './read-transaction.ts';
import { sampleFileName } from './record-type-samples.ts';
import { writeTransaction } from './write-transaction.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url)));

const header = { 2: '0502', 4: 'TPIS', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'T1', 11: '19.69', 12: '19.69' };
const gradient = (width: number, height: number) => Uint8Array.from({ length: width * height }, (_, i) => (i * 7) & 255);

function rawTransaction(): AnsiNistTransaction {
  return buildTransaction(header, [
    taggedRecord(2, { 2: '00' }),
    { kind: 'fingerprint-binary', type: 4, idc: 1, imp: 1, fgp: [3, 255, 255, 255, 255, 255], isr: 0, width: 30, height: 20, gca: 0, data: gradient(30, 20) },
    taggedRecord(14, { 2: '02', 3: '1', 6: '40', 7: '30', 8: '1', 9: '1000', 10: '1000', 11: 'NONE', 12: '8', 13: '8', 999: gradient(40, 30) }),
  ]);
}

describe('image record summaries', () => {
  it('describes the Type-4 slaps: IDC, finger position, size, compression and 500 ppi from 1.011', () => {
    const summaries = summarizeImages(readTransaction(fixture('type-4-slaps.an2')));
    expect(summaries.map((s) => [s.type, s.idc, s.positions[0], s.width, s.height, s.compression])).toEqual([
      [4, 1, 14, 1608, 1000, 'WSQ20'],
      [4, 2, 12, 412, 1000, 'WSQ20'],
      [4, 3, 11, 392, 1000, 'WSQ20'],
      [4, 4, 13, 1572, 1000, 'WSQ20'],
    ]);
    expect(summaries[0].ppi).toBeCloseTo(500.1, 1);
  });

  it('describes the Type-14 card with its resolution in pixels per centimetre', () => {
    const summaries = summarizeImages(readTransaction(fixture('type-14-tpcard-nqm.an2')));
    expect(summaries.length).toBe(14);
    expect(summaries[0]).toMatchObject({ type: 14, idc: 1, positions: [1], width: 804, height: 752, compression: 'WSQ20', impression: 3 });
    expect(summaries[0].ppi).toBeCloseTo(500.4, 1);
  });
});

describe('decoding images', () => {
  it('decodes raw Type-4 and Type-14 images, resampling 1000 ppi to the engine resolution', () => {
    const transaction = rawTransaction();
    const type4 = decodeImageRecord(transaction, 3);
    expect([type4.width, type4.height, type4.pixels[1]]).toEqual([30, 20, 7]);
    expect(type4.ppi).toBeCloseTo(500.1, 1);
    const fingers = decodeFingerImages(transaction);
    expect(fingers.map((f) => [f.summary.type, f.summary.positions[0]])).toEqual([[4, 3], [14, 8]]);
    expect([fingers[1].image.width, fingers[1].image.height, fingers[1].image.ppi]).toEqual([20, 15, 500]);
  });

  it('refuses a raw image whose data does not match its size', () => {
    const transaction = rawTransaction();
    const records = [...transaction.records];
    records[2] = { ...(records[2] as Type4Record), height: 21 };
    expect(() => decodeImageRecord({ records }, 3)).toThrow(expect.objectContaining({ code: 'AN_IMAGE_SIZE' }));
  });

  it('scenario 14: a Type-4 with GCA=1 whose data is not WSQ names its IDC and finger position', () => {
    const slaps = fixture('type-4-slaps.an2');
    const broken = slaps.slice();
    const firstData = 191 + 57 + 18;
    broken.fill(0x42, firstData, firstData + 64); // destroy the WSQ markers
    const transaction = readTransaction(broken);
    let caught: unknown;
    try {
      decodeImageRecord(transaction, 3);
    } catch (error) {
      caught = error;
    }
    expect(isConcordError(caught, 'AN_BAD_WSQ')).toBe(true);
    expect(isConcordError(caught) && caught.where).toMatchObject({ record: 3, recordType: 4, idc: 1, fgp: '14' });
    expect(String((caught as Error).message)).toMatch(/IDC 1, finger position 14/);
  });

  it('decodes the WSQ slaps of the NIST fixture at their stated size', () => {
    const images = decodeFingerImages(readTransaction(fixture('type-4-slaps.an2')));
    expect(images.map((f) => [f.image.width, f.image.height])).toEqual([[1608, 1000], [412, 1000], [392, 1000], [1572, 1000]]);
  });
});

describe('JPEG 2000 and the legacy fingerprint types', () => {
  const ridges = (width: number, height: number) => Uint8Array.from({ length: width * height }, (_, i) => Math.round(128 + 100 * Math.sin((i % width) / 4 + Math.floor(i / width) / 9)));

  function jp2Transaction(compression: 'JP2' | 'JP2L', recordWidth = 80): AnsiNistTransaction {
    const image = encodeJpeg2000({ width: 80, height: 60, pixels: ridges(80, 60) }, { lossless: compression === 'JP2L' });
    return buildTransaction(header, [
      taggedRecord(2, { 2: '00' }),
      taggedRecord(14, { 2: '01', 3: '1', 6: String(recordWidth), 7: '60', 8: '1', 9: '1000', 10: '1000', 11: compression, 12: '8', 13: '4', 999: image }),
    ]);
  }

  it('decodes a lossless JPEG 2000 Type-14 exactly and resamples it from 1000 ppi to 500', () => {
    const transaction = readTransaction(writeTransaction(jp2Transaction('JP2L')));
    expect(Buffer.from(decodeImageRecord(transaction, 3).pixels).equals(Buffer.from(ridges(80, 60)))).toBe(true);
    const [finger] = decodeFingerImages(transaction);
    expect([finger.summary.compression, finger.image.width, finger.image.height, finger.image.ppi]).toEqual(['JP2L', 40, 30, 500]);
  });

  it('decodes a lossy JPEG 2000 Type-14 close to the original', () => {
    const pixels = decodeImageRecord(jp2Transaction('JP2'), 3).pixels;
    const original = ridges(80, 60);
    const meanError = pixels.reduce((sum, value, i) => sum + Math.abs(value - original[i]), 0) / pixels.length;
    expect(meanError).toBeLessThan(8);
  });

  it('refuses a JPEG 2000 image whose size disagrees with its record, before decoding it', () => {
    expect(() => decodeImageRecord(jp2Transaction('JP2L', 81), 3)).toThrow(expect.objectContaining({ code: 'AN_IMAGE_SIZE', message: expect.stringMatching(/JPEG 2000 image is 80×60/) }));
  });

  it('refuses JP2 data that is no JPEG 2000 stream with AN_BAD_JP2, naming the record like the WSQ check does', () => {
    const transaction = jp2Transaction('JP2');
    const records = [...transaction.records];
    const record = records[2] as TaggedRecord;
    records[2] = { ...record, fields: record.fields.map((f) => (f.number === 999 ? { ...f, value: new Uint8Array(64).fill(0x42) } : f)) };
    let caught: unknown;
    try {
      decodeImageRecord({ records }, 3);
    } catch (error) {
      caught = error;
    }
    expect(isConcordError(caught, 'AN_BAD_JP2')).toBe(true);
    expect(isConcordError(caught) && caught.where).toMatchObject({ record: 3, recordType: 14, field: '14.999', fgp: '4' });
    expect(String((caught as Error).message)).toMatch(/not a valid JPEG 2000 image/);
  });

  it('gives the finger images of Types 3, 5 and 6 for identification, at 500 ppi', () => {
    for (const type of [3, 5, 6]) {
      const transaction = readTransaction(new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/record-types/${sampleFileName(type)}`, import.meta.url))));
      const [finger] = decodeFingerImages(transaction);
      expect(finger.summary.type).toBe(type);
      expect(finger.image.ppi).toBeCloseTo(500, 0);
      // Types 3 and 5 are low resolution (250 ppi), so their 16×12 images double.
      expect([finger.image.width, finger.image.height]).toEqual(type === 6 ? [16, 12] : [32, 24]);
    }
  });
});
