import type { AnsiNistRecord, TaggedRecord } from './model.ts';
import { fieldText, recordIdc, splitSubfields } from './model.ts';
import { type ProblemCollector, transactionProblem } from './problems.ts';

/** One record 1.003 CNT announces after the Type-1: its type and IDC. */
export interface ContentsEntry {
  readonly type: number;
  readonly idc: number;
}

/**
 * Parses 1.003 CNT: first subfield `1`US`<count of other records>`, then `<type>`US`<IDC>` per
 * record in file order. The list is what tells the reader how to read the binary records.
 */
export function parseContents(type1: TaggedRecord, problems: ProblemCollector): ContentsEntry[] {
  const location = { record: 1, recordType: 1, field: '1.003', offset: 0 };
  const text = fieldText(type1, 3);
  if (text === undefined) throw transactionProblem('AN_MISSING_FIELD', 'field 1.003 CNT is missing, so the records cannot be located', location);
  const [first, ...rest] = splitSubfields(text);
  const entries: ContentsEntry[] = [];
  if (first.length !== 2 || first[0] !== '1' || !/^\d{1,4}$/.test(first[1])) {
    throw transactionProblem('AN_BAD_CNT', 'the first subfield of 1.003 CNT must be "1" and the number of other records', location);
  }
  const count = Number(first[1]);
  if (count !== rest.length) {
    problems.report(transactionProblem('AN_BAD_CNT', `1.003 CNT announces ${count} records but lists ${rest.length}`, { ...location, expected: rest.length, actual: count }));
  }
  rest.forEach((items, i) => {
    if (items.length !== 2 || !/^\d{1,2}$/.test(items[0]) || !/^\d{1,3}$/.test(items[1])) {
      throw transactionProblem('AN_BAD_CNT', `subfield ${i + 2} of 1.003 CNT must be "<record type>" and "<IDC>"`, location);
    }
    if (Number(items[0]) === 1) throw transactionProblem('AN_BAD_CNT', `subfield ${i + 2} of 1.003 CNT lists a second Type-1 record; a transaction has exactly one`, location);
    entries.push({ type: Number(items[0]), idc: Number(items[1]) });
  });
  return entries;
}

/** The CNT value that describes the records after the Type-1, IDCs written with two digits. */
export function contentsFor(others: readonly AnsiNistRecord[]): string {
  const subfields = [`1\x1f${others.length}`];
  for (const record of others) subfields.push(`${record.type}\x1f${String(recordIdc(record) ?? 0).padStart(2, '0')}`);
  return subfields.join('\x1e');
}
