import { describe, expect, it } from 'vitest';
import { thrown } from '../../testing/thrown.ts';
import { buildTransaction, type FieldInput, taggedRecord } from './build-records.ts';
import { fieldText, type TaggedRecord } from './model.ts';
import { readTransaction } from './read-transaction.ts';
import { writeTransaction } from './write-transaction.ts';

const header = (dcs?: FieldInput) => ({ 2: '0600', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'TCN1', 11: '19.69', 12: '19.69', 15: dcs });
const withName = (name: string, dcs?: FieldInput) => writeTransaction(buildTransaction(header(dcs), [taggedRecord(2, { 2: '00', 18: name, 22: '19800101' })]));
const nameOf = (bytes: Uint8Array) => fieldText(readTransaction(bytes).records[1] as TaggedRecord, 18);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The bytes of a transaction with `from` (Latin-1 view) replaced by raw bytes. */
function patched(bytes: Uint8Array, from: string, to: number[]): Uint8Array {
  const at = Buffer.from(bytes).indexOf(Buffer.from(from, 'latin1'));
  return Uint8Array.from([...bytes.subarray(0, at), ...to, ...bytes.subarray(at + from.length)]);
}

describe('character encodings declared in 1.015 DCS', () => {
  it('accepts a UTF-8 Type-2 name when 1.015 declares 003 UTF-8, and writes it back byte for byte', () => {
    const bytes = withName('MÜLLER,JOSÉ Ж', ['003', 'UTF-8']);
    expect(Buffer.from(bytes).includes(Buffer.from('MÜLLER,JOSÉ Ж', 'utf8'))).toBe(true);
    expect(nameOf(bytes)).toBe('MÜLLER,JOSÉ Ж');
    expect(same(writeTransaction(readTransaction(bytes)), bytes)).toBe(true);
  });

  it('refuses the same bytes when no encoding is declared, at the offset of the first non-ASCII byte', () => {
    const fixedLength = patched(withName('MxxLLER,JOSE'), 'xx', [0xc3, 0x9c]); // "Ü" in UTF-8
    const error = thrown(() => readTransaction(fixedLength));
    expect(error.code).toBe('AN_NON_ASCII');
    expect(error.where).toMatchObject({ record: 2, field: '2.018', offset: Buffer.from(fixedLength).indexOf(0xc3) });
  });

  it('refuses bytes that are not UTF-8 where UTF-8 is declared, naming the byte', () => {
    const bytes = patched(withName('MULLER,JOSE', ['003', 'UTF-8']), 'MULLER', [0x4d, 0xc3, 0x28, 0x4c, 0x45, 0x52]);
    const error = thrown(() => readTransaction(bytes));
    expect(error.code).toBe('AN_BAD_CHARACTER');
    expect(error.where).toMatchObject({ record: 2, recordType: 2, field: '2.018', offset: Buffer.from(bytes).indexOf(0xc3) + 1 });
    expect(error.message).toContain('UTF-8');
    expect(readTransaction(bytes, { lenient: true }).problems.map((p) => p.code)).toEqual(['AN_BAD_CHARACTER']);
  });

  it('reads Latin-1 when 1.015 declares 001, and the writer refuses a character Latin-1 lacks', () => {
    const bytes = withName('DOÉ,JOHN', ['001', 'LATIN-1']);
    expect(Buffer.from(bytes).includes(Buffer.from([0x44, 0x4f, 0xc9]))).toBe(true);
    expect(nameOf(bytes)).toBe('DOÉ,JOHN');
    expect(thrown(() => withName('DOЖ,JOHN', ['001', 'LATIN-1'])).code).toBe('AN_WRITE_INVALID');
  });

  it('reads escape sequences into an encoding 1.015 lists and refuses one it does not list', () => {
    const dcs = [['000', 'ASCII'], ['003', 'UTF-8']];
    const bytes = withName('DOE,\x02003JOSÉ\x03', dcs);
    expect(nameOf(bytes)).toBe('DOE,\x02003JOSÉ\x03');
    expect(same(writeTransaction(readTransaction(bytes)), bytes)).toBe(true);
    const unlisted = patched(bytes, '\x02003', [0x02, 0x30, 0x30, 0x31]);
    expect(thrown(() => readTransaction(unlisted)).code).toBe('AN_BAD_CHARACTER');
    expect(thrown(() => withName('DOÉ,JOSE', dcs)).code).toBe('AN_WRITE_INVALID'); // outside the escape, text is ASCII
  });

  it('reads an escape sequence written with "=" before the index, and keeps that form', () => {
    const dcs = [['000', 'ASCII'], ['003', 'UTF-8']];
    const bytes = withName('DOE,\x02=003JOSÉ\x03 JR', dcs);
    expect(Buffer.from(bytes).includes(Buffer.from('\x02=003JOS\xc3\x89\x03', 'latin1'))).toBe(true);
    expect(nameOf(bytes)).toBe('DOE,\x02=003JOSÉ\x03 JR');
    expect(same(writeTransaction(readTransaction(bytes)), bytes)).toBe(true);
  });

  it('refuses STX and ETX outside an escape sequence: they are reserved in every encoding (§5.5)', () => {
    const dcs = [['000', 'ASCII'], ['003', 'UTF-8']];
    const stray = patched(withName('DOE,JOHN', dcs), 'DOE,', [0x44, 0x4f, 0x45, 0x03]);
    const error = thrown(() => readTransaction(stray));
    expect(error.code).toBe('AN_BAD_CHARACTER');
    expect(error.where).toMatchObject({ record: 2, field: '2.018', offset: Buffer.from(stray).indexOf(0x03) });
    // With no other encoding declared there is nothing to switch to.
    const undeclared = patched(withName('DOE,xxxxJOHN'), 'xxxx', [0x02, 0x30, 0x30, 0x30]);
    expect(thrown(() => readTransaction(undeclared)).message).toMatch(/declares no other/);
    const unclosed = patched(withName('DOE,JOHN', dcs), 'JOHN', [0x02, 0x30, 0x30, 0x33, 0x4a]);
    expect(thrown(() => readTransaction(unclosed)).message).toMatch(/not closed by ETX/);
    expect(thrown(() => withName('DOE,\x03JOHN', dcs)).code).toBe('AN_WRITE_INVALID');
  });

  it('refuses a 1.015 index the standard reserves, at field 1.015', () => {
    const bytes = withName('DOE,JOHN', ['003', 'UTF-8']);
    const reserved = patched(bytes, '1.015:003', [...Buffer.from('1.015:077')]);
    const error = thrown(() => readTransaction(reserved));
    expect(error.code).toBe('AN_BAD_CHARACTER_SET');
    expect(error.where).toMatchObject({ record: 1, field: '1.015', offset: Buffer.from(reserved).indexOf('077') });
  });

  it('keeps the Type-1 in 7-bit ASCII whatever 1.015 declares', () => {
    expect(thrown(() => writeTransaction(buildTransaction({ ...header(['003', 'UTF-8']), 9: 'TCNÉ' }, []))).code).toBe('AN_WRITE_INVALID');
  });
});
