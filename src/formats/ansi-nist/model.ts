/**
 * The in-memory model of an ANSI/NIST-ITL 1-2011 transaction in traditional encoding. It keeps
 * what the bytes say — field tags as written, field order, raw text values — so that writing a
 * transaction that was read gives back the same bytes. Only the record lengths (x.001 and the
 * Type-4 LEN) are recomputed on writing.
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

/** Type-4: high-resolution grayscale fingerprint, fixed 18-byte binary header then image data. */
export interface Type4Record {
  readonly kind: 'type4';
  readonly type: 4;
  readonly idc: number;
  /** Impression type: 0 live plain, 1 live rolled, 2 non-live plain, 3 non-live rolled... */
  readonly imp: number;
  /** The six FGP bytes as stored; unused positions are 255. */
  readonly fgp: readonly number[];
  /** 0 native scanning resolution (1.011), 1 minimum/nominal resolution (1.012). */
  readonly isr: number;
  readonly width: number;
  readonly height: number;
  /** Grayscale compression algorithm: 0 none, 1 WSQ. */
  readonly gca: number;
  readonly data: Uint8Array;
}

export type AnsiNistRecord = TaggedRecord | Type4Record;

export interface AnsiNistTransaction {
  /** Records in file order; the first is always the Type-1. */
  readonly records: readonly AnsiNistRecord[];
}

export const TYPE4_HEADER_BYTES = 18;

/** Tagged record types Concord reads; 4 is the only binary one. */
export const TAGGED_RECORD_TYPES: ReadonlySet<number> = new Set([1, 2, 9, 10, 13, 14, 15]);
/** Tagged record types whose field 999 holds binary image data. */
export const BINARY_DATA_RECORD_TYPES: ReadonlySet<number> = new Set([10, 13, 14, 15]);
export const BINARY_DATA_FIELD = 999;

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

/** A record's IDC: x.002 for tagged records (except Type-1, which has none), the header byte for Type-4. */
export function recordIdc(record: AnsiNistRecord): number | undefined {
  if (record.kind === 'type4') return record.idc;
  if (record.type === 1) return undefined;
  const text = fieldText(record, 2);
  return text !== undefined && /^\d{1,3}$/.test(text) ? Number(text) : undefined;
}
