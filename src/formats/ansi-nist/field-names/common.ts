/** A record type's field mnemonics by field number. */
export type FieldNames = Readonly<Record<number, string>>;

/** The length and IDC fields that open every tagged record after the Type-1. */
export const OPENING: FieldNames = { 1: 'LEN', 2: 'IDC' };

/**
 * Mnemonics of the fields at the end of the numbering (901–999). The standard defines them once
 * but each type's table takes only some (Type-18 has no 999, Type-20 no 997...), so each table
 * lists its own with `tail`.
 */
const TAIL_NAMES: FieldNames = {
  901: 'FCT', 902: 'ANN', 903: 'DUI', 904: 'MMS', 990: 'T10C', 991: 'T22C', 992: 'T2C', 993: 'SAN', 994: 'EFR', 995: 'ASC',
  996: 'HAS', 997: 'SOR', 998: 'GEO', 999: 'DATA',
};

/** The tail fields `numbers`, named. */
export function tail(...numbers: number[]): FieldNames {
  return Object.fromEntries(numbers.map((number) => [number, TAIL_NAMES[number]]));
}
