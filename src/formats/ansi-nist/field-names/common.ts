/** A record type's field mnemonics by field number. */
export type FieldNames = Readonly<Record<number, string>>;

/** Fields every record from Type-10 on shares at the end of its range (ANSI/NIST-ITL 1-2011, Update 2013). */
export const SHARED_TAIL: FieldNames = {
  902: 'ANN', 903: 'DUI', 904: 'MMS', 992: 'T2C', 993: 'SAN', 994: 'EFR', 995: 'ASC', 996: 'HAS', 997: 'SOR', 998: 'GEO', 999: 'DATA',
};

/** The length and IDC fields that open every tagged record after the Type-1. */
export const OPENING: FieldNames = { 1: 'LEN', 2: 'IDC' };
