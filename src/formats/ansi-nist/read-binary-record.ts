import {
  type BinaryRecord,
  FINGERPRINT_BINARY_HEADER_BYTES,
  type FingerprintBinaryRecord,
  type SignatureRecord,
  TYPE7_HEADER_BYTES,
  TYPE8_HEADER_BYTES,
  type UserDefinedImageRecord,
} from './model.ts';
import { transactionProblem } from './problems.ts';
import type { RecordContext } from './read-tagged-record.ts';

/**
 * Reads a binary record (Types 3–8): a big-endian header starting with the 4-byte LEN, then data
 * that stays a view into `bytes`. LEN is checked against the bytes present before anything is
 * sliced, so a false LEN cannot make the reader allocate.
 */
export function readBinaryRecord(bytes: Uint8Array, context: RecordContext): { record: BinaryRecord; end: number } {
  const { index, start, type } = context;
  const headerBytes = type === 7 ? TYPE7_HEADER_BYTES : type === 8 ? TYPE8_HEADER_BYTES : FINGERPRINT_BINARY_HEADER_BYTES;
  const at = (offset: number) => ({ record: index, recordType: type, field: `${type}.001`, offset });
  if (start + headerBytes > bytes.length) {
    throw transactionProblem('AN_TRUNCATED', `a Type-${type} header needs ${headerBytes} bytes but only ${bytes.length - start} remain`, at(start));
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + start, headerBytes);
  const length = view.getUint32(0);
  if (length < headerBytes) {
    throw transactionProblem('AN_BAD_LENGTH', `Type-${type} LEN ${length} is shorter than its ${headerBytes}-byte header`, at(start));
  }
  if (start + length > bytes.length) {
    throw transactionProblem('AN_LENGTH_EXCEEDS_DATA', `Type-${type} LEN is ${length} but only ${bytes.length - start} bytes remain`, { ...at(start), expected: bytes.length - start, actual: length });
  }
  const data = bytes.subarray(start + headerBytes, start + length);
  const end = start + length;
  const idc = view.getUint8(4);
  if (type === 7) return { record: { kind: 'user-defined-image', type, idc, data } satisfies UserDefinedImageRecord, end };
  if (type === 8) {
    const record: SignatureRecord = {
      kind: 'signature',
      type,
      idc,
      sig: view.getUint8(5),
      srt: view.getUint8(6),
      isr: view.getUint8(7),
      width: view.getUint16(8),
      height: view.getUint16(10),
      data,
    };
    return { record, end };
  }
  const fgp: number[] = [];
  for (let i = 0; i < 6; i++) fgp.push(view.getUint8(6 + i));
  const record: FingerprintBinaryRecord = {
    kind: 'fingerprint-binary',
    type: type as 3 | 4 | 5 | 6,
    idc,
    imp: view.getUint8(5),
    fgp,
    isr: view.getUint8(12),
    width: view.getUint16(13),
    height: view.getUint16(15),
    gca: view.getUint8(17),
    data,
  };
  return { record, end };
}
