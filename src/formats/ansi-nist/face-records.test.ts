import { describe, expect, it } from 'vitest';
import { buildTransaction, taggedRecord } from './build-records.ts';
import { faceRecord, faceRecordsOf, frontalFaceOf } from './face-records.ts';
import { readTransaction } from './read-transaction.ts';
import { writeTransaction } from './write-transaction.ts';

const photo = (byte: number) => Uint8Array.from([0xff, 0xd8, byte, 0xff, 0xd9]);
const face = (byte: number) => ({ width: 480, height: 600, compression: 'JPEGB' as const, colourSpace: 'SRGB' as const, source: 'TX0570000', date: '20261201', data: photo(byte) });

describe('Type-10 face records', () => {
  it('reads back the faces it writes, and takes the frontal one before a profile, never a tattoo', () => {
    const profile = { ...faceRecord(face(1), 2), fields: faceRecord(face(1), 2).fields.map((f) => (f.number === 20 ? { ...f, value: 'R' } : f)) };
    const tattoo = taggedRecord(10, { 2: '03', 3: 'TATTOO', 4: 'TX0570000', 5: '20261201', 6: '480', 7: '600', 8: '0', 9: '1', 10: '1', 11: 'JPEGB', 12: 'SRGB', 999: photo(3) });
    const transaction = buildTransaction({ 2: '0502', 4: 'CAR', 5: '20261201', 7: 'WVIAFIS0Z', 8: 'TX0570000', 9: 'T-1', 11: '00.00', 12: '00.00' }, [tattoo, profile, faceRecord(face(4), 4)]);
    const read = readTransaction(writeTransaction(transaction));
    expect(faceRecordsOf(read).map((f) => [f.record, f.idc, f.pose])).toEqual([[3, 2, 'R'], [4, 4, 'F']]);
    expect(frontalFaceOf(read)).toMatchObject({ record: 4, idc: 4, width: 480, height: 600, compression: 'JPEGB', data: photo(4) });
  });
});
