import { describe, expect, it } from 'vitest';
import { isFieldAllowed, standardFieldName } from './index.ts';

/**
 * Key fields of each type, as the record layout tables of ANSI/NIST-ITL 1-2011 Update 2013 (and
 * Update 2015 for Types 12 and 22) number and name them. A slip of one field number — the kind of
 * error tables written from memory make — fails here.
 */
const KEY_FIELDS: Record<number, [number, string][]> = {
  // §8.1, Type-1 record layout
  1: [[2, 'VER'], [3, 'CNT'], [11, 'NSR'], [12, 'NTR'], [15, 'DCS'], [16, 'APS'], [18, 'GNS']],
  // §8.9, Table 27 (legacy 9.005–9.012), Table 28 (INCITS 378 block), Table 29, Table 30 (EFS)
  9: [[4, 'FMT'], [5, 'OFR'], [12, 'MRC'], [130, 'SLC'], [131, 'THPS'], [133, 'FVW'], [134, 'FGP'], [136, 'NOM'], [137, 'FMD'], [176, 'OOD'],
    [300, 'ROI'], [303, 'FSP'], [323, 'CPR'], [324, 'DIS'], [327, 'NDIS'], [331, 'MIN'], [901, 'ULA']],
  // §8.10, Type-10 record layout
  10: [[3, 'IMT'], [12, 'CSP'], [13, 'SAP'], [20, 'POS'], [25, 'SPA'], [38, 'COM'], [40, 'SMT'], [46, 'SUB'], [51, 'RSP'], [992, 'T2C'], [999, 'DATA']],
  // §8.11, Type-11 record layout (voice, Update 2013)
  11: [[3, 'AOD'], [5, 'VRSO'], [6, 'VRC'], [13, 'CONT'], [14, 'CDC'], [21, 'RED'], [38, 'SCH'], [51, 'COM'], [994, 'EFR']],
  // §8.12, Type-12 record layout (dental, Update 2015)
  12: [[3, 'FDS'], [6, 'DSI'], [7, 'ODES'], [8, 'TDES'], [9, 'HDD'], [10, 'TDD'], [12, 'DSTI'], [990, 'T10C'], [991, 'T22C']],
  // §8.13, Type-13 record layout
  13: [[5, 'LCD'], [12, 'BPX'], [13, 'FGP'], [14, 'SPD'], [18, 'RSP'], [19, 'REM'], [24, 'LQM']],
  // §8.14, Type-14 record layout
  14: [[5, 'FCD'], [13, 'FGP'], [14, 'PPD'], [21, 'SEG'], [22, 'NQM'], [25, 'ASEG'], [30, 'DMM'], [31, 'FAP']],
  // §8.15, Type-15 record layout (15.013 was PLP before 1-2011)
  15: [[5, 'PCD'], [13, 'FGP'], [21, 'SEG'], [24, 'PQM'], [31, 'PAP']],
  // §8.16, Type-16 record layout
  16: [[3, 'UDI'], [5, 'UTD'], [13, 'CSP'], [24, 'UQS']],
  // §8.17, Type-17 record layout
  17: [[3, 'ELR'], [5, 'ICD'], [17, 'DUI'], [21, 'COM'], [31, 'IAP'], [32, 'ISF'], [41, 'GAZ']],
  // §8.18, Type-18 record layout
  18: [[3, 'DLS'], [16, 'STR'], [22, 'COM'], [23, 'EPL']],
  // §8.19, Type-19 record layout
  19: [[5, 'PCD'], [13, 'FGP'], [19, 'FSP'], [24, 'FQM']],
  // §8.20, Type-20 record layout
  20: [[3, 'CAR'], [14, 'AQS'], [15, 'SFT'], [21, 'SRN']],
  // §8.21, Type-21 record layout
  21: [[5, 'ACD'], [6, 'MDI'], [15, 'AFT'], [16, 'SEG'], [19, 'TIX'], [21, 'ACN']],
  // §8.22, Type-22 record layout (101–103 from Update 2015)
  22: [[3, 'ICD'], [5, 'ICDR'], [6, 'BIC'], [101, 'ITYP'], [102, 'IFMT'], [103, 'DRID']],
  // §8.98, Type-98 record layout
  98: [[3, 'DFO'], [5, 'DFT'], [6, 'DCD'], [900, 'ALF'], [901, 'ARN']],
  // §8.99, Type-99 record layout
  99: [[5, 'BCD'], [100, 'HDV'], [101, 'BTY'], [104, 'BFT'], [999, 'BDB']],
};

describe.each(Object.entries(KEY_FIELDS).map(([type, fields]) => [Number(type), fields] as const))('the Type-%i field table', (type, fields) => {
  it('names the key fields as the standard does', () => {
    expect(fields.map(([number]) => [number, standardFieldName(type, number)])).toEqual(fields);
  });

  it('names the length and IDC (Type-1: version) fields', () => {
    expect(standardFieldName(type, 1)).toBe('LEN');
    expect(standardFieldName(type, 2)).toBe(type === 1 ? 'VER' : 'IDC');
  });
});

describe('fields a type does not define', () => {
  it('are those outside its table and its user-defined ranges', () => {
    expect(isFieldAllowed(14, 13)).toBe(true);
    expect(isFieldAllowed(14, 19)).toBe(false); // reserved in §8.14
    expect(isFieldAllowed(14, 250)).toBe(true); // 14.200–14.900 user-defined
    expect(isFieldAllowed(14, 199)).toBe(false);
    expect(isFieldAllowed(14, 992)).toBe(false); // T2C is not in the Type-14 table
    expect(isFieldAllowed(10, 992)).toBe(true);
    expect(isFieldAllowed(18, 999)).toBe(false); // a DNA record has no data block
    expect(isFieldAllowed(13, 30)).toBe(false); // no device monitoring mode for a latent
    expect(isFieldAllowed(11, 20)).toBe(false); // Type-11's comment is 11.051
  });

  it('follow each type\'s own user-defined ranges', () => {
    expect(isFieldAllowed(1, 200)).toBe(false); // Type-1 has none
    expect(isFieldAllowed(9, 20)).toBe(true); // FBI IAFIS block, Table 27
    expect(isFieldAllowed(9, 250)).toBe(false); // reserved 9.226–9.299
    expect(isFieldAllowed(9, 450)).toBe(true);
    expect(isFieldAllowed(20, 150)).toBe(true); // 20.100–20.900
    expect(isFieldAllowed(21, 150)).toBe(true);
    expect(isFieldAllowed(22, 150)).toBe(false); // 22.200–22.900 only
    expect(isFieldAllowed(98, 905)).toBe(false);
  });

  it('are not checked where the standard leaves every field open: Type-2 and undefined types', () => {
    expect(isFieldAllowed(2, 7777)).toBe(true);
    expect(isFieldAllowed(50, 3)).toBe(true);
  });
});
