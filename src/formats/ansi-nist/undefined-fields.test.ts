import { describe, expect, it } from 'vitest';
import { thrown } from '../../testing/thrown.ts';
import { buildTransaction, type FieldInput, taggedRecord } from './build-records.ts';
import { checkRoundTrip } from './check-round-trip.ts';
import { readTransaction } from './read-transaction.ts';
import { writeTransaction } from './write-transaction.ts';

const TYPE1 = { 2: '0502', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'TCN1', 11: '19.69', 12: '19.69' };
const IMAGE: Record<number, FieldInput> = { 2: '01', 3: '1', 4: 'ORI', 5: '20260101', 6: '2', 7: '2', 8: '1', 9: '500', 10: '500', 11: 'NONE', 12: '8', 13: '2' };

/** A Type-1, a Type-2 and a Type-14 carrying `extra` fields besides its usual ones. */
function withFields(extra: Record<number, FieldInput>, type = 14, base = IMAGE): Uint8Array {
  const record = taggedRecord(type, { ...base, ...extra, 999: new Uint8Array([0, 1, 2, 3]) });
  return writeTransaction(buildTransaction(TYPE1, [taggedRecord(2, { 2: '00', 18: 'DOE,JOHN' }), record]));
}

describe('a field the record type does not define', () => {
  it('is refused in strict reading with its record, tag and offset', () => {
    const bytes = withFields({ 19: 'X' }); // 14.019 is reserved for the standard's future use
    const error = thrown(() => readTransaction(bytes));
    expect(error.code).toBe('AN_UNDEFINED_FIELD');
    expect(error.where).toMatchObject({ record: 3, recordType: 14, field: '14.019' });
    expect(Buffer.from(bytes).toString('latin1').slice(Number(error.where.offset), Number(error.where.offset) + 7)).toBe('14.019:');
  });

  it('is listed, every one, in lenient reading and by the round-trip check, and the record is kept', () => {
    const bytes = withFields({ 19: 'X', 199: 'Y', 992: '1' });
    const { transaction, problems } = readTransaction(bytes, { lenient: true });
    expect(problems.map((p) => [p.code, p.where.record, p.where.field])).toEqual([
      ['AN_UNDEFINED_FIELD', 3, '14.019'],
      ['AN_UNDEFINED_FIELD', 3, '14.199'],
      ['AN_UNDEFINED_FIELD', 3, '14.992'],
    ]);
    expect(transaction.records).toHaveLength(3);
    const check = checkRoundTrip(bytes);
    expect(check.identical).toBe(true);
    expect(check.problems.map((p) => p.code)).toEqual(['AN_UNDEFINED_FIELD', 'AN_UNDEFINED_FIELD', 'AN_UNDEFINED_FIELD']);
  });

  it('is accepted in the type\'s user-defined range', () => {
    expect(readTransaction(withFields({ 200: 'A', 555: 'B', 900: 'C' })).records).toHaveLength(3);
    expect(readTransaction(withFields({ 150: 'A' }, 20, { 2: '01', 3: '1', 4: 'ORI', 5: '0', 15: ['RAW', 'RAW'], 21: '1' })).records).toHaveLength(3);
  });

  it('is refused in a Type-1, which has no user-defined range', () => {
    const bytes = writeTransaction(buildTransaction({ ...TYPE1, 250: 'X' }, [taggedRecord(2, { 2: '00' })]));
    expect(thrown(() => readTransaction(bytes)).where).toMatchObject({ record: 1, field: '1.250' });
  });

  it('is any field of a Type-2 (all user-defined) and of a type the standard does not define', () => {
    const bytes = writeTransaction(buildTransaction(TYPE1, [taggedRecord(2, { 2: '00', 7777: 'X' }), taggedRecord(50, { 2: '01', 3: 'X', 19: 'Y' })]));
    expect(readTransaction(bytes, { lenient: true }).problems).toEqual([]);
  });
});
