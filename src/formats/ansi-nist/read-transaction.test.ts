import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../testing/thrown.ts';
import { buildTransaction, taggedRecord } from './build-records.ts';
import { fieldText, type TaggedRecord, type Type4Record } from './model.ts';
import { readTransaction } from './read-transaction.ts';
import { writeTransaction } from './write-transaction.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url)));
const slaps = fixture('type-4-slaps.an2');
const tenPrint = fixture('type-14-tpcard-nqm.an2');

/** Plain text transaction with a Type-2, used to plant defects at known places. */
function smallTransaction(): Uint8Array {
  const type2 = taggedRecord(2, { 2: '00', 18: 'DOE,JOHN', 22: '19800101' });
  const image = taggedRecord(14, { 2: '01', 6: '2', 7: '2', 8: '1', 9: '500', 10: '500', 11: 'NONE', 12: '8', 13: '2', 999: new Uint8Array([0, 0x1c, 0x1d, 255]) });
  return writeTransaction(buildTransaction({ 2: '0502', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'TCN1', 11: '19.69', 12: '19.69' }, [type2, image]));
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('reading the NIST fixtures', () => {
  it('reads the Type-4 slaps: a Type-1, a Type-2 and four WSQ slap records', () => {
    const { records } = readTransaction(slaps);
    expect(records.map((r) => r.type)).toEqual([1, 2, 4, 4, 4, 4]);
    expect(fieldText(records[0] as TaggedRecord, 2)).toBe('0400');
    const type4 = records.slice(2) as Type4Record[];
    expect(type4.map((r) => r.idc)).toEqual([1, 2, 3, 4]);
    expect(type4.map((r) => r.fgp[0])).toEqual([14, 12, 11, 13]);
    expect(type4.map((r) => [r.width, r.height])).toEqual([[1608, 1000], [412, 1000], [392, 1000], [1572, 1000]]);
    expect(type4.every((r) => r.gca === 1 && r.data[0] === 0xff && r.data[1] === 0xa0)).toBe(true);
    expect(type4[0].data.buffer).toBe(slaps.buffer); // a view, not a copy
  });

  it('reads the ten-print card: fourteen Type-14 records with finger positions 1-14', () => {
    const { records } = readTransaction(tenPrint);
    expect(records.length).toBe(16);
    const images = records.slice(2) as TaggedRecord[];
    expect(images.every((r) => r.type === 14)).toBe(true);
    expect(images.map((r) => Number(fieldText(r, 13))).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(images.map((r) => Number(fieldText(r, 2)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect([fieldText(images[0], 6), fieldText(images[0], 7), fieldText(images[0], 11)]).toEqual(['804', '752', 'WSQ20']);
    expect(fieldText(images[10], 22)).toBe('7\x1f2\x1e8\x1f2\x1e9\x1f2\x1e10\x1f3'); // NIST quality metric per finger of the slap
  });

  it('writes both fixtures back byte for byte', () => {
    expect(Buffer.from(writeTransaction(readTransaction(slaps))).equals(Buffer.from(slaps))).toBe(true);
    expect(Buffer.from(writeTransaction(readTransaction(tenPrint))).equals(Buffer.from(tenPrint))).toBe(true);
  });
});

describe('strict reading names the record, field and offset', () => {
  it('scenario 11: a 1.001 LEN that differs from the real length', () => {
    const text = latin1(slaps).replace('1.001:191', '1.001:190');
    const error = thrown(() => readTransaction(fromLatin1(text)));
    expect(error.code).toBe('AN_LENGTH_MISMATCH');
    expect(error.where).toMatchObject({ record: 1, recordType: 1, field: '1.001', expected: 191, actual: 190 });
    expect(error.message).toContain('record 1 (Type-1), field 1.001');
  });

  it('scenario 12: 1.003 CNT lists a Type-14 record that is absent', () => {
    const bytes = tenPrint.subarray(0, tenPrint.length - 112701); // drop the last Type-14
    const error = thrown(() => readTransaction(bytes));
    expect(error.code).toBe('AN_RECORD_MISSING');
    expect(error.where).toMatchObject({ record: 16, recordType: 14, idc: 14, field: '1.003' });
  });

  it('scenario 12: an IDC that does not match 1.003 CNT', () => {
    const bytes = slaps.slice();
    const secondType4 = 191 + 57 + 104277;
    bytes[secondType4 + 4] = 9;
    const error = thrown(() => readTransaction(bytes));
    expect(error.code).toBe('AN_IDC_MISMATCH');
    expect(error.where).toMatchObject({ record: 4, recordType: 4, expected: 2, actual: 9, offset: secondType4 });
  });

  it('refuses a huge declared length without allocating it', () => {
    const bytes = slaps.slice();
    new DataView(bytes.buffer).setUint32(191 + 57, 0xfffffff0);
    const error = thrown(() => readTransaction(bytes));
    expect(error.code).toBe('AN_LENGTH_EXCEEDS_DATA');
    expect(error.where).toMatchObject({ record: 3, recordType: 4, field: '4.001' });
  });

  it('refuses non-ASCII text, unknown record types, bad tags and trailing bytes', () => {
    const text = latin1(smallTransaction());
    expect(thrown(() => readTransaction(fromLatin1(text.replace('DOE,JOHN', 'DOÉ,JOHN')))).code).toBe('AN_NON_ASCII');
    expect(thrown(() => readTransaction(fromLatin1(text.replace('\x1e14\x1f01', '\x1e00\x1f01')))).code).toBe('AN_UNKNOWN_RECORD_TYPE');
    expect(thrown(() => readTransaction(fromLatin1(text.replace('2.018:', '2.0x8:')))).code).toBe('AN_BAD_TAG');
    expect(thrown(() => readTransaction(fromLatin1(`${text}xx`))).code).toBe('AN_TRAILING_BYTES');
    expect(thrown(() => readTransaction(fromLatin1(text.replace('2.018:', '3.018:')))).code).toBe('AN_RECORD_TYPE_MISMATCH');
    expect(thrown(() => readTransaction(new Uint8Array(0))).code).toBe('AN_TRUNCATED');
    expect(thrown(() => readTransaction(fromLatin1(text.replace('\x1e2\x1f00', '\x1e1\x1f00')))).code).toBe('AN_BAD_CNT');
  });

  it('finds the binary field by LEN even when the image holds separator bytes', () => {
    const { records } = readTransaction(smallTransaction());
    const data = (records[2] as TaggedRecord).fields.at(-1)!.value;
    expect(Array.from(data as Uint8Array)).toEqual([0, 0x1c, 0x1d, 255]);
  });
});

describe('lenient reading', () => {
  it('collects every problem of a file with several defects', () => {
    let text = latin1(smallTransaction());
    text = text.replace(/^1\.001:\d+/, '1.001:7'); // wrong Type-1 length
    text = text.replace('DOE,JOHN', 'DOÉ,JOHN'); // non-ASCII text
    text = text.replace(/2\.002:00/, '2.002:05'); // IDC differs from CNT
    text = text.replace('1\x1f2\x1e', '1\x1f3\x1e').replace('14\x1f01', '14\x1f01\x1e14\x1f02'); // CNT lists an absent record
    const { transaction, problems } = readTransaction(fromLatin1(text), { lenient: true });
    expect(problems.map((p) => p.code)).toEqual(['AN_LENGTH_MISMATCH', 'AN_NON_ASCII', 'AN_IDC_MISMATCH', 'AN_RECORD_MISSING']);
    expect(transaction.records.map((r) => r.type)).toEqual([1, 2, 14]);
    expect(() => readTransaction(fromLatin1(text))).toThrow(/field 1\.001/);
  });

  it('returns no problems for a valid file', () => {
    expect(readTransaction(slaps, { lenient: true }).problems).toEqual([]);
  });
});
