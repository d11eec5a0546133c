import { type ImageSummary, isImageRecord, summarizeImage } from '../ansi-nist/image-records.ts';
import { type AnsiNistTransaction, binaryRecordLength, DEFINED_RECORD_TYPES, fieldText, splitSubfields } from '../ansi-nist/model.ts';
import { fieldMnemonic } from './mnemonics.ts';

/** One field as JSON: raw text (RS/US kept) with its subfields split out, or the size of binary data. */
export type FieldJson =
  | { readonly tag: string; readonly name: string | null; readonly value: string; readonly subfields?: string[][] }
  | { readonly tag: string; readonly name: string | null; readonly binaryBytes: number };

export interface RecordJson {
  readonly record: number;
  readonly type: number;
  readonly offset: number;
  readonly length: number;
  readonly idc: number | null;
  /** False for a tagged type the standard does not define, which is passed on unchanged. */
  readonly defined: boolean;
  readonly fields?: readonly FieldJson[];
  /** Binary records (Types 3–8): the header values under the standard's names. */
  readonly header?: Readonly<Record<string, number | number[]>>;
  readonly image?: Omit<ImageSummary, 'data'> & { readonly dataBytes: number };
}

/**
 * The whole transaction as plain JSON for programs: every record and field, images summarised by
 * their size and geometry, never inlined. Pure.
 */
export function transactionJson(transaction: AnsiNistTransaction): RecordJson[] {
  let offset = 0;
  return transaction.records.map((record, i) => {
    const length = record.kind === 'tagged' ? Number(fieldText(record, 1)) || 0 : binaryRecordLength(record);
    const base = { record: i + 1, type: record.type, offset, length, defined: DEFINED_RECORD_TYPES.has(record.type) };
    offset += length;
    let image: RecordJson['image'];
    if (isImageRecord(record)) {
      const { data, ...summary } = summarizeImage(transaction, i + 1);
      image = { ...summary, dataBytes: data.length };
    }
    if (record.kind !== 'tagged') {
      const header: Record<string, number | number[]> = { IDC: record.idc };
      if (record.kind === 'signature') Object.assign(header, { SIG: record.sig, SRT: record.srt, ISR: record.isr, HLL: record.width, VLL: record.height });
      if (record.kind === 'fingerprint-binary') {
        Object.assign(header, { IMP: record.imp, FGP: [...record.fgp], ISR: record.isr, HLL: record.width, VLL: record.height, [record.type <= 4 ? 'GCA' : 'BCA']: record.gca });
      }
      return { ...base, idc: record.idc, header: { ...header, DATA: record.data.length }, ...(image ? { image } : {}) };
    }
    const fields = record.fields.map((field): FieldJson => {
      const name = fieldMnemonic(record.type, field.number) ?? null;
      if (typeof field.value !== 'string') return { tag: field.tag, name, binaryBytes: field.value.length };
      return /[\x1e\x1f]/.test(field.value) ? { tag: field.tag, name, value: field.value, subfields: splitSubfields(field.value) } : { tag: field.tag, name, value: field.value };
    });
    const idcText = record.type === 1 ? undefined : fieldText(record, 2);
    const idc = idcText !== undefined && /^\d+$/.test(idcText) ? Number(idcText) : null;
    return { ...base, idc, fields, ...(image ? { image } : {}) };
  });
}
