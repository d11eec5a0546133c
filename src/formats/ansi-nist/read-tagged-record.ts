import { asciiText } from './ascii.ts';
import { ASCII_ONLY, decodeText, ENCODING_NAMES, type TextEncodings } from './character-sets.ts';
import { isFieldAllowed } from './field-names/index.ts';
import { BINARY_DATA_FIELD, FS, GS, TEXT_ONLY_RECORD_TYPES, type TaggedField, type TaggedRecord } from './model.ts';
import { type ProblemCollector, transactionProblem } from './problems.ts';

export interface RecordContext {
  /** 1-based position of the record in the file. */
  readonly index: number;
  /** The type 1.003 CNT announces for it. */
  readonly type: number;
  readonly start: number;
  readonly problems: ProblemCollector;
  /** The encodings 1.015 DCS declares for text; 7-bit ASCII when absent (and always for the Type-1). */
  readonly encodings?: TextEncodings;
}

/** Longest tag accepted (`99.999999999`); bounds the scan when the bytes are not a tag at all. */
const MAX_TAG_LENGTH = 12;
/** LEN values longer than this cannot describe a file held in memory. */
const MAX_LENGTH_DIGITS = 10;
const TAG_PATTERN = /^(\d{1,2})\.(\d{1,9})$/;

/**
 * Reads one tagged-field record starting at `context.start`. A text record ends at its FS; a
 * record with binary image data (x.999) ends where its x.001 LEN says, since the data may hold
 * any byte. Returns the record and the offset just past it.
 */
export function readTaggedRecord(bytes: Uint8Array, context: RecordContext): { record: TaggedRecord; end: number } {
  const { index, type, start, problems } = context;
  const at = (offset: number, field?: string) => ({ record: index, recordType: type, field, offset });
  const fields: TaggedField[] = [];
  const seen = new Set<number>();
  let declaredLength: number | undefined;
  let pos = start;

  for (;;) {
    const tagStart = pos;
    const colon = findColon(bytes, pos);
    if (colon < 0) {
      if (pos >= bytes.length) throw transactionProblem('AN_TRUNCATED', 'the file ends inside the record', at(pos));
      throw transactionProblem('AN_BAD_TAG', `expected a field tag "${type}.NNN:"`, at(pos));
    }
    const tag = asciiText(bytes, tagStart, colon);
    const match = TAG_PATTERN.exec(tag);
    if (!match) throw transactionProblem('AN_BAD_TAG', `"${printable(tag)}" is not a field tag`, at(tagStart));
    const tagType = Number(match[1]);
    const number = Number(match[2]);
    if (tagType !== type) {
      throw transactionProblem('AN_RECORD_TYPE_MISMATCH', `field ${tag} belongs to a Type-${tagType} record but 1.003 CNT announces Type-${type} here`, at(tagStart, tag));
    }
    if (fields.length === 0 && number !== 1) {
      throw transactionProblem('AN_MISSING_FIELD', `the record must start with its length field ${type}.001, not ${tag}`, at(tagStart, tag));
    }
    if (fields.length === 1 && number !== 2) {
      problems.report(transactionProblem('AN_FIELD_ORDER', `the second field must be ${type}.002, not ${tag}`, at(tagStart, tag)));
    }
    if (!isFieldAllowed(type, number)) {
      problems.report(transactionProblem('AN_UNDEFINED_FIELD', `field ${tag} is not defined for a Type-${type} record, nor in its user-defined range`, at(tagStart, tag)));
    }
    if (seen.has(number)) problems.report(transactionProblem('AN_DUPLICATE_FIELD', `field ${tag} appears twice`, at(tagStart, tag)));
    seen.add(number);
    pos = colon + 1;

    if (number === BINARY_DATA_FIELD && !TEXT_ONLY_RECORD_TYPES.has(type)) {
      // Image bytes may contain separators, so only LEN says where they stop.
      const end = start + (declaredLength ?? 0);
      if (end > bytes.length) {
        throw transactionProblem('AN_LENGTH_EXCEEDS_DATA', `${type}.001 LEN is ${declaredLength} but only ${bytes.length - start} bytes remain`, { ...at(start, `${type}.001`), expected: bytes.length - start, actual: declaredLength ?? 0 });
      }
      if (end - 1 < pos || bytes[end - 1] !== FS) {
        throw transactionProblem('AN_LENGTH_MISMATCH', `${type}.001 LEN is ${declaredLength} but the record does not end with a record separator (FS) there`, { ...at(start, `${type}.001`), actual: declaredLength ?? 0 });
      }
      fields.push({ tag, number, value: bytes.subarray(pos, end - 1) });
      return { record: { kind: 'tagged', type, fields }, end };
    }

    const valueStart = pos;
    while (pos < bytes.length && bytes[pos] !== GS && bytes[pos] !== FS) pos++;
    if (pos >= bytes.length) throw transactionProblem('AN_TRUNCATED', `the file ends inside field ${tag}`, at(valueStart, tag));
    const value = readText(bytes, valueStart, pos, context.encodings ?? ASCII_ONLY, problems, at(valueStart, tag));
    fields.push({ tag, number, value });

    if (number === 1) declaredLength = parseLength(value, problems, at(valueStart, tag));
    if (bytes[pos] === FS) {
      const end = pos + 1;
      if (!seen.has(2)) problems.report(transactionProblem('AN_MISSING_FIELD', `field ${type}.002 is missing`, at(start, `${type}.002`)));
      if (declaredLength !== undefined && declaredLength !== end - start) {
        problems.report(transactionProblem('AN_LENGTH_MISMATCH', `${type}.001 LEN is ${declaredLength} but the record is ${end - start} bytes long`, { ...at(start, `${type}.001`), expected: end - start, actual: declaredLength }));
      }
      return { record: { kind: 'tagged', type, fields }, end };
    }
    pos++;
  }
}

/** Offset of the ':' closing a tag that starts at `from`, or -1 when none comes soon enough. */
function findColon(bytes: Uint8Array, from: number): number {
  const limit = Math.min(bytes.length, from + MAX_TAG_LENGTH + 1);
  for (let i = from; i < limit; i++) {
    const byte = bytes[i];
    if (byte === 0x3a) return i;
    if (byte === GS || byte === FS) return -1;
  }
  return -1;
}

function parseLength(value: string, problems: ProblemCollector, location: Parameters<typeof transactionProblem>[2]): number | undefined {
  if (value.length === 0 || value.length > MAX_LENGTH_DIGITS || !/^\d+$/.test(value)) {
    problems.report(transactionProblem('AN_BAD_LENGTH', `LEN "${printable(value)}" is not a byte count`, location));
    return undefined;
  }
  return Number(value);
}

/**
 * The text of a field in the declared encoding. Bytes that do not fit are a problem at their own
 * offset; a lenient reader keeps them as Latin-1 so that the record still writes back unchanged.
 */
function readText(bytes: Uint8Array, from: number, to: number, encodings: TextEncodings, problems: ProblemCollector, location: Parameters<typeof transactionProblem>[2]): string {
  const text = decodeText(bytes, from, to, encodings);
  if (typeof text === 'string') return text;
  const declared = encodings === ASCII_ONLY ? 'no character encoding is declared in 1.015 DCS, so text is 7-bit ASCII' : `1.015 DCS declares ${ENCODING_NAMES[encodings.main] ?? `encoding ${encodings.main}`}`;
  const code = encodings.main === 0 && bytes[text.offset] > 0x7f ? 'AN_NON_ASCII' : 'AN_BAD_CHARACTER';
  problems.report(transactionProblem(code, `${text.reason} at offset ${text.offset} (${declared})`, { ...location, offset: text.offset }));
  return asciiText(bytes, from, to);
}

/** Keeps control and non-ASCII characters out of error messages. */
export function printable(text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return shown.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
