import { ConcordError } from '../../shared/errors.ts';
import { parseContents } from './contents-field.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, FS, GS, recordIdc, type TaggedRecord, TYPE4_HEADER_BYTES, type Type4Record } from './model.ts';
import { ProblemCollector } from './problems.ts';

/**
 * Writes a transaction in traditional encoding. Field order and values are written as they are;
 * only the lengths (x.001, Type-4 LEN) are computed. A length already correct keeps its digits,
 * so writing what was read gives back the same bytes. Refuses (ConcordError) anything the reader
 * would reject: a 1.003 CNT that does not describe the records, separators or non-ASCII inside
 * text values, image data anywhere but the last field.
 */
export function writeTransaction(transaction: AnsiNistTransaction): Uint8Array {
  checkContents(transaction.records);
  const plans = transaction.records.map((record, i) => (record.kind === 'type4' ? planType4(record, i + 1) : planTagged(record, i + 1)));
  const output = new Uint8Array(plans.reduce((sum, plan) => sum + plan.length, 0));
  let offset = 0;
  for (const plan of plans) offset = plan.write(output, offset);
  return output;
}

interface RecordPlan {
  readonly length: number;
  write(target: Uint8Array, offset: number): number;
}

function planTagged(record: TaggedRecord, index: number): RecordPlan {
  const { fields, type } = record;
  const fail = (field: string, message: string) => new ConcordError('AN_WRITE_INVALID', `record ${index} (Type-${type}), field ${field}: ${message}`, { record: index, recordType: type, field });
  if (fields.length === 0 || fields[0].number !== 1) throw fail(`${type}.001`, 'a tagged record must start with its length field');
  let withoutLength = 0;
  fields.forEach((field, i) => {
    const tag = /^(\d{1,2})\.(\d{1,9})$/.exec(field.tag);
    if (!tag || Number(tag[1]) !== type || Number(tag[2]) !== field.number) throw fail(field.tag, `the tag must read ${type}.<field number ${field.number}>`);
    if (field.value instanceof Uint8Array) {
      if (i !== fields.length - 1) throw fail(field.tag, 'binary data must be the last field of its record');
    } else if (i > 0) {
      checkText(field.value, (message) => fail(field.tag, message));
    }
    withoutLength += field.tag.length + 1 + (i === 0 ? 0 : field.value.length) + 1;
  });
  const lengthText = lengthDigits(withoutLength, fields[0].value);
  const length = withoutLength + lengthText.length;
  return {
    length,
    write(target, start) {
      let at = start;
      fields.forEach((field, i) => {
        at = putAscii(target, at, field.tag);
        target[at++] = 0x3a;
        const value = i === 0 ? lengthText : field.value;
        if (typeof value === 'string') at = putAscii(target, at, value);
        else {
          target.set(value, at);
          at += value.length;
        }
        target[at++] = i === fields.length - 1 ? FS : GS;
      });
      return at;
    },
  };
}

/**
 * The LEN text for a record of `withoutLength` bytes plus its own digits. The existing text is
 * kept when it is already right (it may carry leading zeros); otherwise the shortest fixed point.
 */
function lengthDigits(withoutLength: number, existing: string | Uint8Array): string {
  if (typeof existing === 'string' && /^\d+$/.test(existing) && Number(existing) === withoutLength + existing.length) return existing;
  let digits = String(withoutLength).length;
  while (String(withoutLength + digits).length !== digits) digits++;
  return String(withoutLength + digits);
}

function planType4(record: Type4Record, index: number): RecordPlan {
  const fail = (field: string, message: string) => new ConcordError('AN_WRITE_INVALID', `record ${index} (Type-4), ${field}: ${message}`, { record: index, recordType: 4, field });
  const bytesInRange = (name: string, value: number, max: number) => {
    if (!Number.isInteger(value) || value < 0 || value > max) throw fail(name, `${value} does not fit in the header`);
  };
  bytesInRange('IDC', record.idc, 255);
  bytesInRange('IMP', record.imp, 255);
  bytesInRange('ISR', record.isr, 255);
  bytesInRange('HLL', record.width, 65535);
  bytesInRange('VLL', record.height, 65535);
  bytesInRange('GCA', record.gca, 255);
  if (record.fgp.length !== 6) throw fail('FGP', 'needs exactly six bytes (unused ones 255)');
  record.fgp.forEach((position) => bytesInRange('FGP', position, 255));
  const length = TYPE4_HEADER_BYTES + record.data.length;
  if (length > 0xffffffff) throw fail('LEN', 'the image is too large for a Type-4 record');
  return {
    length,
    write(target, start) {
      const view = new DataView(target.buffer, target.byteOffset + start, TYPE4_HEADER_BYTES);
      view.setUint32(0, length);
      view.setUint8(4, record.idc);
      view.setUint8(5, record.imp);
      record.fgp.forEach((position, i) => view.setUint8(6 + i, position));
      view.setUint8(12, record.isr);
      view.setUint16(13, record.width);
      view.setUint16(15, record.height);
      view.setUint8(17, record.gca);
      target.set(record.data, start + TYPE4_HEADER_BYTES);
      return start + length;
    },
  };
}

function checkContents(records: readonly AnsiNistRecord[]): void {
  const first = records[0];
  if (!first || first.kind !== 'tagged' || first.type !== 1) {
    throw new ConcordError('AN_WRITE_INVALID', 'a transaction must start with its Type-1 record', { record: 1 });
  }
  const entries = parseContents(first, new ProblemCollector(false));
  const others = records.slice(1);
  const same = entries.length === others.length && entries.every((entry, i) => entry.type === others[i].type && entry.idc === recordIdc(others[i]));
  if (!same) {
    throw new ConcordError('AN_CNT_MISMATCH', 'field 1.003 CNT does not list the records of the transaction (type and IDC, in order)', { record: 1, recordType: 1, field: '1.003' });
  }
}

function checkText(value: string, fail: (message: string) => Error): void {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0x7f) throw fail(`character ${JSON.stringify(value[i])} is not ASCII`);
    if (code === FS || code === GS) throw fail('text values cannot contain the record or field separators (FS, GS)');
  }
}

function putAscii(target: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[at++] = text.charCodeAt(i);
  return at;
}
