import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeTransaction } from '../ebts/describe-transaction.ts';
import { standardFieldName } from './field-names/index.ts';
import { decodeImageRecord } from './image-records.ts';
import { DEFINED_RECORD_TYPES, type TaggedRecord } from './model.ts';
import { readTransaction } from './read-transaction.ts';
import { recordTypeSample, sampleFileName, SAMPLE_RECORD_TYPES } from './record-type-samples.ts';
import { writeTransaction } from './write-transaction.ts';

const sampleFile = (type: number) => new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/record-types/${sampleFileName(type)}`, import.meta.url)));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe.each(SAMPLE_RECORD_TYPES)('the Type-%i sample file', (type) => {
  const bytes = sampleFile(type);

  it('is what the sample builder writes', () => {
    expect(same(writeTransaction(recordTypeSample(type)), bytes)).toBe(true);
  });

  it('reads strictly and writes back byte for byte', () => {
    const transaction = readTransaction(bytes);
    expect(transaction.records.at(-1)!.type).toBe(type);
    expect(same(writeTransaction(transaction), bytes)).toBe(true);
  });

  it('uses only fields the standard names for its type', () => {
    const record = readTransaction(bytes).records.at(-1)!;
    if (record.kind !== 'tagged' || record.type === 2 || !DEFINED_RECORD_TYPES.has(type)) return;
    expect(record.fields.filter((field) => standardFieldName(type, field.number) === undefined).map((field) => field.tag)).toEqual([]);
  });
});

describe('reading every record type', () => {
  it('keeps the header values of the binary Types 3 to 8', () => {
    const [t3, t5, t7, t8] = [3, 5, 7, 8].map((type) => readTransaction(sampleFile(type)).records[2]);
    expect(t3).toMatchObject({ kind: 'fingerprint-binary', type: 3, idc: 1, imp: 1, fgp: [2, 255, 255, 255, 255, 255], width: 16, height: 12, gca: 0 });
    expect(t5).toMatchObject({ kind: 'fingerprint-binary', type: 5, imp: 3, fgp: [7, 255, 255, 255, 255, 255] });
    expect(t7.kind === 'user-defined-image' && Array.from(t7.data)).toEqual([1, 2, 0x1c, 0x1d, 0x1e, 0x1f, 255]);
    expect(t8).toMatchObject({ kind: 'signature', type: 8, sig: 0, srt: 2, width: 0, height: 0 });
  });

  it('decodes the grey and one-bit fingerprint images of Types 3 to 6', () => {
    for (const type of [3, 4, 5, 6]) {
      const image = decodeImageRecord(readTransaction(sampleFile(type)), 3);
      expect([image.width, image.height]).toEqual([16, 12]);
      if (type >= 5) expect(new Set(image.pixels)).toEqual(new Set([0, 255]));
    }
    // 0x1c = 00011100: three white, three black, two white.
    expect(Array.from(decodeImageRecord(readTransaction(sampleFile(5)), 3).pixels.subarray(0, 8))).toEqual([255, 255, 255, 0, 0, 0, 255, 255]);
    // Low-resolution Type-3 at ISR 1 is at half the nominal 19.69 ppmm.
    expect(decodeImageRecord(readTransaction(sampleFile(3)), 3).ppi).toBeCloseTo(250, 0);
  });

  it('passes a tagged type the standard does not define on unchanged, binary data included', () => {
    const record = readTransaction(sampleFile(50)).records[2] as TaggedRecord;
    expect(record.fields.map((field) => field.tag)).toEqual(['50.001', '50.002', '50.003', '50.999']);
    expect(Array.from(record.fields[3].value as Uint8Array)).toEqual([0x1c, 0x1d, 9]);
    expect(describeTransaction(readTransaction(sampleFile(50))).join('\n')).toContain('does not define');
  });

  it('names the fields in the dump as the standard does', () => {
    const dump = (type: number) => describeTransaction(readTransaction(sampleFile(type))).join('\n');
    expect(dump(17)).toMatch(/17\.003 +ELR/);
    expect(dump(99)).toMatch(/99\.101 +BTY/);
    expect(dump(98)).toMatch(/98\.005 +DFT/);
    expect(dump(10)).toMatch(/10\.020 +POS/);
    expect(dump(8)).toContain('SIG 0  SRT 2');
    expect(dump(6)).toContain('BCA 0');
  });
});
