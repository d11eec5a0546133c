import { ConcordError } from '../../shared/errors.ts';
import { type BinaryRecord, binaryRecordLength, FINGERPRINT_BINARY_HEADER_BYTES, TYPE7_HEADER_BYTES, TYPE8_HEADER_BYTES } from './model.ts';

/** A record ready to write: its length, and how to put its bytes at an offset. */
export interface RecordPlan {
  readonly length: number;
  write(target: Uint8Array, offset: number): number;
}

/**
 * Plans a binary record (Types 3–8): header values are checked against the bytes they must fit
 * in, LEN is computed. Refuses with AN_WRITE_INVALID naming the header field.
 */
export function planBinaryRecord(record: BinaryRecord, index: number): RecordPlan {
  const { type } = record;
  const fail = (field: string, message: string) => new ConcordError('AN_WRITE_INVALID', `record ${index} (Type-${type}), ${field}: ${message}`, { record: index, recordType: type, field });
  const inRange = (name: string, value: number, max: number) => {
    if (!Number.isInteger(value) || value < 0 || value > max) throw fail(name, `${value} does not fit in the header`);
  };
  inRange('IDC', record.idc, 255);
  if (record.kind === 'signature') {
    inRange('SIG', record.sig, 255);
    inRange('SRT', record.srt, 255);
    inRange('ISR', record.isr, 255);
    inRange('HLL', record.width, 65535);
    inRange('VLL', record.height, 65535);
  } else if (record.kind === 'fingerprint-binary') {
    inRange('IMP', record.imp, 255);
    inRange('ISR', record.isr, 255);
    inRange('HLL', record.width, 65535);
    inRange('VLL', record.height, 65535);
    inRange(type <= 4 ? 'GCA' : 'BCA', record.gca, 255);
    if (record.fgp.length !== 6) throw fail('FGP', 'needs exactly six bytes (unused ones 255)');
    record.fgp.forEach((position) => inRange('FGP', position, 255));
  }
  const length = binaryRecordLength(record);
  if (length > 0xffffffff) throw fail('LEN', `the data is too large for a Type-${type} record`);
  return {
    length,
    write(target, start) {
      const headerBytes = record.kind === 'signature' ? TYPE8_HEADER_BYTES : record.kind === 'user-defined-image' ? TYPE7_HEADER_BYTES : FINGERPRINT_BINARY_HEADER_BYTES;
      const view = new DataView(target.buffer, target.byteOffset + start, headerBytes);
      view.setUint32(0, length);
      view.setUint8(4, record.idc);
      if (record.kind === 'signature') {
        view.setUint8(5, record.sig);
        view.setUint8(6, record.srt);
        view.setUint8(7, record.isr);
        view.setUint16(8, record.width);
        view.setUint16(10, record.height);
      } else if (record.kind === 'fingerprint-binary') {
        view.setUint8(5, record.imp);
        record.fgp.forEach((position, i) => view.setUint8(6 + i, position));
        view.setUint8(12, record.isr);
        view.setUint16(13, record.width);
        view.setUint16(15, record.height);
        view.setUint8(17, record.gca);
      }
      target.set(record.data, start + headerBytes);
      return start + length;
    },
  };
}
