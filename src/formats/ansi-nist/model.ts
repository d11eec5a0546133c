/**
 * The in-memory model of an ANSI/NIST-ITL 1-2011 transaction in traditional encoding. It keeps
 * what the bytes say — field tags as written, field order, raw text values — so that writing a
 * transaction that was read gives back the same bytes. Only the record lengths (x.001 and the
 * binary LEN) are recomputed on writing.
 */

/** Information separators of the traditional encoding (ANSI/NIST-ITL 1-2011 §7.1). */
export const FS = 0x1c; // end of a logical record
export const GS = 0x1d; // end of a field
export const RS = 0x1e; // between repeated subfields
export const US = 0x1f; // between information items

/** One `T.FFF:value` field. Binary image data (x.999) is a view into the source bytes. */
export interface TaggedField {
  /** The tag as it was written, e.g. `1.001` or `14.999`. */
  readonly tag: string;
  /** The field number after the dot (1 for `1.001`). */
  readonly number: number;
  /** Text value (may contain RS and US) or, for the binary data field, the bytes. */
  readonly value: string | Uint8Array;
}

export interface TaggedRecord {
  readonly kind: 'tagged';
  readonly type: number;
  readonly fields: readonly TaggedField[];
}

/**
 * Types 3, 4, 5 and 6: a fingerprint image behind the same fixed 18-byte binary header (low- and
 * high-resolution, grey and binary). Only the meaning of the compression byte differs: GCA for the
 * grey Types 3 and 4, BCA for the binary Types 5 and 6.
 */
export interface FingerprintBinaryRecord {
  readonly kind: 'fingerprint-binary';
  readonly type: 3 | 4 | 5 | 6;
  readonly idc: number;
  /** Impression type: 0 live plain, 1 live rolled, 2 non-live plain, 3 non-live rolled... */
  readonly imp: number;
  /** The six FGP bytes as stored; unused positions are 255. */
  readonly fgp: readonly number[];
  /** 0 native scanning resolution (1.011), 1 minimum/nominal resolution (1.012). */
  readonly isr: number;
  readonly width: number;
  readonly height: number;
  /** GCA (Types 3, 4: 0 none, 1 WSQ...) or BCA (Types 5, 6: 0 none, 1 facsimile). */
  readonly gca: number;
  readonly data: Uint8Array;
}

/** The Type-4 record most transactions carry; kept as a name for what reads only Type-4. */
export type Type4Record = FingerprintBinaryRecord & { readonly type: 4 };

/** Type-7: user-defined image; the standard fixes only LEN (4 bytes) and IDC (1 byte). */
export interface UserDefinedImageRecord {
  readonly kind: 'user-defined-image';
  readonly type: 7;
  readonly idc: number;
  /** Everything after the 5-byte LEN and IDC, as sent. */
  readonly data: Uint8Array;
}

/** Type-8: signature image, 12-byte binary header (LEN 4, IDC, SIG, SRT, ISR, HLL 2, VLL 2). */
export interface SignatureRecord {
  readonly kind: 'signature';
  readonly type: 8;
  readonly idc: number;
  /** 0 the subject's signature, 1 the official's. */
  readonly sig: number;
  /** Representation: 0 scanned uncompressed, 1 scanned compressed, 2 vectors. */
  readonly srt: number;
  readonly isr: number;
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export type BinaryRecord = FingerprintBinaryRecord | UserDefinedImageRecord | SignatureRecord;
export type AnsiNistRecord = TaggedRecord | BinaryRecord;

export interface AnsiNistTransaction {
  /** Records in file order; the first is always the Type-1. */
  readonly records: readonly AnsiNistRecord[];
}

export const FINGERPRINT_BINARY_HEADER_BYTES = 18;
export const TYPE7_HEADER_BYTES = 5;
export const TYPE8_HEADER_BYTES = 12;

/** Record types with a binary header; every other type (9 and up, 1 and 2) is tagged. */
export const BINARY_RECORD_TYPES: ReadonlySet<number> = new Set([3, 4, 5, 6, 7, 8]);
/** Record types 1-2011 (Update 2013/2015) defines; other tagged types are passed on unchanged. */
export const DEFINED_RECORD_TYPES: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 98, 99]);
/** Tagged record types whose field 999, when present, is text; in every other type it holds binary data. */
export const TEXT_ONLY_RECORD_TYPES: ReadonlySet<number> = new Set([1, 2]);
export const BINARY_DATA_FIELD = 999;

export function isTaggedType(type: number): boolean {
  return type >= 1 && !BINARY_RECORD_TYPES.has(type);
}

/** Length in bytes of a binary record as it will be written. */
export function binaryRecordLength(record: BinaryRecord): number {
  const header = record.kind === 'signature' ? TYPE8_HEADER_BYTES : record.kind === 'user-defined-image' ? TYPE7_HEADER_BYTES : FINGERPRINT_BINARY_HEADER_BYTES;
  return header + record.data.length;
}

export function fieldTag(type: number, number: number): string {
  return `${type}.${String(number).padStart(3, '0')}`;
}

/** The field of a tagged record with this number, or undefined. */
export function findField(record: TaggedRecord, number: number): TaggedField | undefined {
  return record.fields.find((field) => field.number === number);
}

/** The text value of a field, or undefined when absent or binary. */
export function fieldText(record: TaggedRecord, number: number): string | undefined {
  const field = findField(record, number);
  return field && typeof field.value === 'string' ? field.value : undefined;
}

/** Splits a text value into subfields (RS) of information items (US). */
export function splitSubfields(value: string): string[][] {
  return value.split('\x1e').map((subfield) => subfield.split('\x1f'));
}

/** The inverse of splitSubfields. */
export function joinSubfields(subfields: readonly (readonly string[])[]): string {
  return subfields.map((items) => items.join('\x1f')).join('\x1e');
}

/** A record's IDC: x.002 for tagged records (except Type-1, which has none), the header byte for binary ones. */
export function recordIdc(record: AnsiNistRecord): number | undefined {
  if (record.kind !== 'tagged') return record.idc;
  if (record.type === 1) return undefined;
  const text = fieldText(record, 2);
  return text !== undefined && /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}
