import type { FieldNames } from './common.ts';
import { TYPE10, TYPE13, TYPE14, TYPE15, TYPE16, TYPE17, TYPE19, TYPE20, TYPE22 } from './image-records.ts';
import { TYPE1, TYPE11, TYPE12, TYPE18, TYPE21, TYPE9, TYPE98, TYPE99 } from './text-records.ts';
import { isUserDefinedField } from './user-defined-fields.ts';

/**
 * Field mnemonics of ANSI/NIST-ITL 1-2011 (Update 2013/2015) by record type, for people reading a
 * dump and for refusing fields a type does not define. Type-2 is left to the profile in use
 * (EBTS); user-defined ranges have no names.
 */
const BY_TYPE: Readonly<Record<number, FieldNames>> = {
  1: TYPE1, 9: TYPE9, 10: TYPE10, 11: TYPE11, 12: TYPE12, 13: TYPE13, 14: TYPE14, 15: TYPE15, 16: TYPE16, 17: TYPE17,
  18: TYPE18, 19: TYPE19, 20: TYPE20, 21: TYPE21, 22: TYPE22, 98: TYPE98, 99: TYPE99,
};

/** Header fields of the binary records, in the order they are stored. */
export const BINARY_HEADER_NAMES: Readonly<Record<number, readonly string[]>> = {
  3: ['LEN', 'IDC', 'IMP', 'FGP', 'ISR', 'HLL', 'VLL', 'GCA', 'DATA'],
  4: ['LEN', 'IDC', 'IMP', 'FGP', 'ISR', 'HLL', 'VLL', 'GCA', 'DATA'],
  5: ['LEN', 'IDC', 'IMP', 'FGP', 'ISR', 'HLL', 'VLL', 'BCA', 'DATA'],
  6: ['LEN', 'IDC', 'IMP', 'FGP', 'ISR', 'HLL', 'VLL', 'BCA', 'DATA'],
  7: ['LEN', 'IDC', 'DATA'],
  8: ['LEN', 'IDC', 'SIG', 'SRT', 'ISR', 'HLL', 'VLL', 'DATA'],
};

/** The mnemonic the standard gives field `number` of a `type` record, or undefined. */
export function standardFieldName(type: number, number: number): string | undefined {
  return BY_TYPE[type]?.[number];
}

/**
 * Whether a `type` record may hold field `number`: a field the type's table names, or one in its
 * user-defined ranges. Types without a table here (Type-2, types no standard defines) allow any.
 */
export function isFieldAllowed(type: number, number: number): boolean {
  const names = BY_TYPE[type];
  return names === undefined || names[number] !== undefined || isUserDefinedField(type, number);
}
