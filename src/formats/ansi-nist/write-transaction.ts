import { ConcordError } from '../../shared/errors.ts';
import { parseContents } from './contents-field.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, BINARY_DATA_FIELD, BINARY_RECORD_TYPES, FS, GS, recordIdc, type TaggedRecord, TEXT_ONLY_RECORD_TYPES } from './model.ts';
import { ASCII_ONLY, declaredEncodings, encodeText, type TextEncodings } from './character-sets.ts';
import { ProblemCollector } from './problems.ts';
import { planBinaryRecord, type RecordPlan } from './write-binary-record.ts';

/**
 * Writes a transaction in traditional encoding. Field order and values are written as they are;
 * only the lengths (x.001, the binary LEN) are computed. A length already correct keeps its digits,
 * so writing what was read gives back the same bytes. Refuses (ConcordError) anything the reader
 * would reject: a 1.003 CNT that does not describe the records, separators inside text values or
 * characters outside the encoding 1.015 DCS declares, image data anywhere but the last field.
 */
export function writeTransaction(transaction: AnsiNistTransaction): Uint8Array {
  checkContents(transaction.records);
  const encodings = declaredEncodings(transaction.records[0] as TaggedRecord);
  if (!('main' in encodings)) throw new ConcordError('AN_WRITE_INVALID', `record 1 (Type-1), field 1.015: ${encodings.reason}`, { record: 1, recordType: 1, field: '1.015' });
  const plans = transaction.records.map((record, i) => {
    if (record.kind !== 'tagged') return planBinaryRecord(record, i + 1);
    return planTagged(record, i + 1, i === 0 ? ASCII_ONLY : encodings);
  });
  const output = new Uint8Array(plans.reduce((sum, plan) => sum + plan.length, 0));
  let offset = 0;
  for (const plan of plans) offset = plan.write(output, offset);
  return output;
}

function planTagged(record: TaggedRecord, index: number, encodings: TextEncodings): RecordPlan {
  const { fields, type } = record;
  const fail = (field: string, message: string) => new ConcordError('AN_WRITE_INVALID', `record ${index} (Type-${type}), field ${field}: ${message}`, { record: index, recordType: type, field });
  if (BINARY_RECORD_TYPES.has(type)) throw fail(`${type}.001`, `Type-${type} records have a binary header, not tagged fields`);
  if (fields.length === 0 || fields[0].number !== 1) throw fail(`${type}.001`, 'a tagged record must start with its length field');
  let withoutLength = 0;
  const values: (string | Uint8Array)[] = [];
  fields.forEach((field, i) => {
    const tag = /^(\d{1,2})\.(\d{1,9})$/.exec(field.tag);
    if (!tag || Number(tag[1]) !== type || Number(tag[2]) !== field.number) throw fail(field.tag, `the tag must read ${type}.<field number ${field.number}>`);
    if (field.value instanceof Uint8Array) {
      if (i !== fields.length - 1) throw fail(field.tag, 'binary data must be the last field of its record');
      if (field.number !== BINARY_DATA_FIELD || TEXT_ONLY_RECORD_TYPES.has(type)) throw fail(field.tag, `only field ${type}.999 of an image record may hold binary data`);
    } else if (i > 0) {
      checkText(field.value, (message) => fail(field.tag, message));
    }
    const value = i === 0 || typeof field.value !== 'string' ? field.value : encodeText(field.value, encodings);
    if (!(value instanceof Uint8Array) && typeof value !== 'string') throw fail(field.tag, `${value.reason} (character ${value.offset})`);
    values.push(value);
    withoutLength += field.tag.length + 1 + (i === 0 ? 0 : value.length) + 1;
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
        const value = i === 0 ? lengthText : values[i];
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
    if (code === FS || code === GS) throw fail('text values cannot contain the record or field separators (FS, GS)');
  }
}

function putAscii(target: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) target[at++] = text.charCodeAt(i);
  return at;
}
