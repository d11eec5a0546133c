import { buildTransaction, type FieldInput, taggedRecord } from './build-records.ts';
import type { AnsiNistRecord, AnsiNistTransaction } from './model.ts';

/**
 * One small transaction per record type of ANSI/NIST-ITL 1-2011 (Update 2013/2015), plus an
 * undefined tagged type: a Type-1, a Type-2 and one record of that type, filled with the fields
 * the standard's tables list for it. The fixture files are these, written; their test keeps the
 * two equal.
 */
export const SAMPLE_RECORD_TYPES = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 98, 99, 50] as const;

const TYPE1 = { 2: '0600', 4: 'CAR', 5: '20260101', 7: 'DAI000000', 8: 'ORI000000', 9: 'TCN-SAMPLE', 11: '19.69', 12: '19.69' };
const WIDTH = 16;
const HEIGHT = 12;
const grey = () => Uint8Array.from({ length: WIDTH * HEIGHT }, (_, i) => (i * 37) & 255);
/** One bit a pixel, rows padded to whole bytes; holds the separator bytes a reader must not trip on. */
const bits = () => Uint8Array.from({ length: (WIDTH / 8) * HEIGHT }, (_, i) => [0x1c, 0x1d, 0xf0, 0x0f][i % 4]);
const fgp = (position: number) => [position, 255, 255, 255, 255, 255];

/** Fields 6–12 of a tagged image record: 16×12 raw 8-bit grey at 500 ppi. */
const geometry = (compression = 'NONE'): Record<number, FieldInput> => ({ 6: String(WIDTH), 7: String(HEIGHT), 8: '1', 9: '500', 10: '500', 11: compression, 12: '8' });

function sampleRecord(type: number): AnsiNistRecord | undefined {
  switch (type) {
    case 2:
      return undefined;
    case 3:
    case 4:
      return { kind: 'fingerprint-binary', type, idc: 1, imp: 1, fgp: fgp(2), isr: 1, width: WIDTH, height: HEIGHT, gca: 0, data: grey() };
    case 5:
    case 6:
      return { kind: 'fingerprint-binary', type, idc: 1, imp: 3, fgp: fgp(7), isr: 1, width: WIDTH, height: HEIGHT, gca: 0, data: bits() };
    case 7:
      return { kind: 'user-defined-image', type, idc: 1, data: Uint8Array.from([1, 2, 0x1c, 0x1d, 0x1e, 0x1f, 255]) };
    case 8:
      // Two pen vectors of five bytes (X, Y, pressure); a vector signature states no size.
      return { kind: 'signature', type, idc: 1, sig: 0, srt: 2, isr: 0, width: 0, height: 0, data: Uint8Array.from([0, 10, 0, 20, 128, 0, 30, 0, 25, 0]) };
    case 9:
      return taggedRecord(9, { 2: '01', 3: '1', 4: 'U', 901: 'Y' });
    case 10:
      return taggedRecord(10, { 2: '01', 3: 'FACE', 4: 'ORI000000', 5: '20260101', ...geometry(), 12: 'GRAY', 13: '1', 20: 'F', 999: grey() });
    case 11:
      return taggedRecord(11, { 2: '01', 4: 'ORI000000', 51: 'SAMPLE VOICE RECORD' });
    case 12:
      return taggedRecord(12, { 2: '01', 4: 'ORI000000', 20: 'SAMPLE DENTAL RECORD' });
    case 13:
      return taggedRecord(13, { 2: '01', 3: '4', 4: 'ORI000000', 5: '20260101', ...geometry(), 13: '0', 999: grey() });
    case 14:
      return taggedRecord(14, { 2: '01', 3: '1', 4: 'ORI000000', 5: '20260101', ...geometry(), 13: '2', 999: grey() });
    case 15:
      return taggedRecord(15, { 2: '01', 3: '10', 4: 'ORI000000', 5: '20260101', ...geometry(), 13: '22', 999: grey() });
    case 16:
      return taggedRecord(16, { 2: '01', 3: 'TEST', 4: 'ORI000000', 5: '20260101', ...geometry(), 999: grey() });
    case 17:
      return taggedRecord(17, { 2: '01', 3: '1', 4: 'ORI000000', 5: '20260101', ...geometry(), 13: 'GRAY', 999: grey() });
    case 18:
      return taggedRecord(18, { 2: '01', 3: [['0', 'ORI000000', 'SAMPLE LAB']], 4: 'ORI000000', 5: '0', 22: 'SAMPLE DNA RECORD' });
    case 19:
      return taggedRecord(19, { 2: '01', 3: '8', 4: 'ORI000000', 5: '20260101', ...geometry(), 13: '60', 999: grey() });
    case 20:
      return taggedRecord(20, { 2: '01', 3: '1', 4: 'ORI000000', 5: '0', 15: ['RAW', 'RAW'], 21: '1', 999: grey() });
    case 21:
      return taggedRecord(21, { 2: '01', 4: 'ORI000000', 5: '20260101', 21: '1', 999: Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x1c]) });
    case 22:
      return taggedRecord(22, { 2: '01', 3: '20260101', 4: 'ORI000000', 999: grey() });
    case 98:
      return taggedRecord(98, { 2: '01', 3: '001B', 4: 'ORI000000', 5: '0001', 6: '20260101120000Z' });
    case 99:
      return taggedRecord(99, { 2: '01', 4: 'ORI000000', 5: '20260101120000Z', 100: '0101', 101: '00000008', 103: '001B', 104: '0001', 999: grey() });
    default:
      // A tagged type no standard defines: it must still be read and passed on as it came.
      return taggedRecord(type, { 2: '01', 3: 'OPAQUE', 999: Uint8Array.from([0x1c, 0x1d, 9]) });
  }
}

/** The sample transaction for `type`. */
export function recordTypeSample(type: number): AnsiNistTransaction {
  const record = sampleRecord(type);
  return buildTransaction(TYPE1, [taggedRecord(2, { 2: '00', 18: 'SAMPLE,SUBJECT' }), ...(record ? [record] : [])]);
}

export function sampleFileName(type: number): string {
  return `type-${String(type).padStart(2, '0')}.an2`;
}
