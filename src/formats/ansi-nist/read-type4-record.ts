import { TYPE4_HEADER_BYTES, type Type4Record } from './model.ts';
import { transactionProblem } from './problems.ts';
import type { RecordContext } from './read-tagged-record.ts';

/**
 * Reads a binary Type-4 record: 18-byte big-endian header (LEN 4, IDC 1, IMP 1, FGP 6, ISR 1,
 * HLL 2, VLL 2, GCA 1) then image data, which stays a view into `bytes`.
 */
export function readType4Record(bytes: Uint8Array, context: RecordContext): { record: Type4Record; end: number } {
  const { index, start } = context;
  const at = (offset: number, field: string) => ({ record: index, recordType: 4, field, offset });
  if (start + TYPE4_HEADER_BYTES > bytes.length) {
    throw transactionProblem('AN_TRUNCATED', `a Type-4 header needs ${TYPE4_HEADER_BYTES} bytes but only ${bytes.length - start} remain`, at(start, '4.001'));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, TYPE4_HEADER_BYTES);
  const length = view.getUint32(0);
  if (length < TYPE4_HEADER_BYTES) {
    throw transactionProblem('AN_BAD_LENGTH', `Type-4 LEN ${length} is shorter than its ${TYPE4_HEADER_BYTES}-byte header`, at(start, '4.001'));
  }
  if (start + length > bytes.length) {
    throw transactionProblem('AN_LENGTH_EXCEEDS_DATA', `Type-4 LEN is ${length} but only ${bytes.length - start} bytes remain`, { ...at(start, '4.001'), expected: bytes.length - start, actual: length });
  }
  const fgp: number[] = [];
  for (let i = 0; i < 6; i++) fgp.push(view.getUint8(6 + i));
  const record: Type4Record = {
    kind: 'type4',
    type: 4,
    idc: view.getUint8(4),
    imp: view.getUint8(5),
    fgp,
    isr: view.getUint8(12),
    width: view.getUint16(13),
    height: view.getUint16(15),
    gca: view.getUint8(17),
    data: bytes.subarray(start + TYPE4_HEADER_BYTES, start + length),
  };
  return { record, end: start + length };
}
