import { contentsFor } from './contents-field.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, fieldTag, type TaggedField, type TaggedRecord } from './model.ts';

/** A field value for building: text, items (US-joined), subfields of items (RS/US), or binary data. */
export type FieldInput = string | readonly string[] | readonly (readonly string[])[] | Uint8Array;

/**
 * Builds a tagged record from field numbers and values. The length field x.001 is added first
 * (its value is computed when written); fields are kept in ascending number order, binary data
 * (999) last, as the standard requires.
 */
export function taggedRecord(type: number, values: ReadonlyMap<number, FieldInput> | Record<number, FieldInput | undefined>): TaggedRecord {
  const entries = values instanceof Map ? [...values.entries()] : Object.entries(values).map(([n, v]) => [Number(n), v] as const);
  const fields: TaggedField[] = [{ tag: fieldTag(type, 1), number: 1, value: '0' }];
  for (const [number, value] of entries.sort((a, b) => a[0] - b[0])) {
    if (value === undefined || number === 1) continue;
    fields.push({ tag: fieldTag(type, number), number, value: encodeValue(value) });
  }
  return { kind: 'tagged', type, fields };
}

function encodeValue(value: FieldInput): string | Uint8Array {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (value.length > 0 && Array.isArray(value[0])) return (value as readonly (readonly string[])[]).map((items) => items.join('\x1f')).join('\x1e');
  return (value as readonly string[]).join('\x1f');
}

/**
 * Assembles a transaction from its Type-1 fields and the other records, filling 1.003 CNT from
 * the records so the two cannot disagree.
 */
export function buildTransaction(type1Values: Record<number, FieldInput | undefined>, others: readonly AnsiNistRecord[]): AnsiNistTransaction {
  const type1 = taggedRecord(1, { ...type1Values, 3: contentsFor(others) });
  return { records: [type1, ...others] };
}
