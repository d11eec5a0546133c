import { isConcordError, type ConcordError } from '../../shared/errors.ts';
import { asciiText } from './ascii.ts';
import { ASCII_ONLY, declaredEncodings, type TextEncodings } from './character-sets.ts';
import { parseContents } from './contents-field.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, type TaggedRecord, BINARY_RECORD_TYPES, isTaggedType, recordIdc } from './model.ts';
import { ProblemCollector, transactionProblem } from './problems.ts';
import { readTaggedRecord } from './read-tagged-record.ts';
import { readBinaryRecord } from './read-binary-record.ts';

export interface ReadOptions {
  /** Collect every problem instead of stopping at the first. */
  readonly lenient?: boolean;
}

export interface LenientReadResult {
  /** The records that could be read (all of them when `problems` is empty). */
  readonly transaction: AnsiNistTransaction;
  readonly problems: readonly ConcordError[];
}

/**
 * Reads an ANSI/NIST-ITL transaction (traditional encoding). Strict by default: the first
 * problem is thrown as a ConcordError naming the record, field and byte offset. With
 * `{ lenient: true }` it returns what it could read and the list of every problem found.
 * Image data is never copied: binary fields are views into `bytes`.
 */
export function readTransaction(bytes: Uint8Array, options?: { lenient?: false }): AnsiNistTransaction;
export function readTransaction(bytes: Uint8Array, options: { lenient: true }): LenientReadResult;
export function readTransaction(bytes: Uint8Array, options: ReadOptions = {}): AnsiNistTransaction | LenientReadResult {
  const problems = new ProblemCollector(options.lenient === true);
  const records: AnsiNistRecord[] = [];
  try {
    readRecords(bytes, records, problems);
  } catch (error) {
    if (!problems.lenient || !isConcordError(error)) throw error;
    problems.problems.push(error);
  }
  const transaction = { records };
  return problems.lenient ? { transaction, problems: problems.problems } : transaction;
}

function readRecords(bytes: Uint8Array, records: AnsiNistRecord[], problems: ProblemCollector): void {
  if (bytes.length === 0) throw transactionProblem('AN_TRUNCATED', 'the file is empty', { record: 1, recordType: 1, offset: 0 });
  const first = readTaggedRecord(bytes, { index: 1, type: 1, start: 0, problems });
  records.push(first.record);
  const entries = parseContents(first.record, problems);
  const encodings = textEncodings(bytes, first, problems);
  let pos = first.end;

  for (let i = 0; i < entries.length; i++) {
    const { type, idc } = entries[i];
    const index = i + 2;
    const location = { record: index, recordType: type, field: '1.003', offset: pos, idc };
    if (pos >= bytes.length) {
      // Every absent record is named, not only the first, so a lenient reader lists them all.
      for (let j = i; j < entries.length; j++) {
        const missing = entries[j];
        problems.report(transactionProblem('AN_RECORD_MISSING', `1.003 CNT lists a Type-${missing.type} record with IDC ${missing.idc} that is not in the file`, { ...location, record: j + 2, recordType: missing.type, idc: missing.idc }));
      }
      return;
    }
    const context = { index, type, start: pos, problems, encodings };
    let read: { record: AnsiNistRecord; end: number };
    // Types 3–8 have binary headers; every other type is tagged, so a type the standard does not
    // define is still read field by field and passed on unchanged.
    if (BINARY_RECORD_TYPES.has(type)) read = readBinaryRecord(bytes, context);
    else if (isTaggedType(type)) read = readTaggedRecord(bytes, context);
    else throw transactionProblem('AN_UNKNOWN_RECORD_TYPE', `1.003 CNT lists record type ${type}, which no standard defines`, location);
    const actualIdc = recordIdc(read.record);
    if (actualIdc !== idc) {
      problems.report(transactionProblem('AN_IDC_MISMATCH', `1.003 CNT gives IDC ${idc} for this record but the record says ${actualIdc ?? 'nothing'}`, { ...location, field: `${type}.002`, expected: idc, actual: actualIdc ?? -1 }));
    }
    records.push(read.record);
    pos = read.end;
  }
  if (pos < bytes.length) {
    problems.report(transactionProblem('AN_TRAILING_BYTES', `${bytes.length - pos} bytes follow the last record 1.003 CNT lists`, { record: entries.length + 2, offset: pos }));
  }
}

/** The encodings 1.015 DCS declares; an index it cannot declare is a problem, and text is then read as ASCII. */
function textEncodings(bytes: Uint8Array, type1: { record: TaggedRecord; end: number }, problems: ProblemCollector): TextEncodings {
  const declared = declaredEncodings(type1.record);
  if ('main' in declared) return declared;
  const tag = asciiText(bytes, 0, type1.end).indexOf('\x1d1.015:') + 1;
  problems.report(transactionProblem('AN_BAD_CHARACTER_SET', declared.reason, { record: 1, recordType: 1, field: '1.015', offset: tag + '1.015:'.length }));
  return ASCII_ONLY;
}
