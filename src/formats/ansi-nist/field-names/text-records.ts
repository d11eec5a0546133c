import { type FieldNames, OPENING, tail } from './common.ts';

/**
 * Field mnemonics of the records without a face or friction-ridge image, from the record layout
 * tables of ANSI/NIST-ITL 1-2011 Update 2013 (§8.1, §8.9, §8.11, §8.18, §8.21, §8.98, §8.99) and
 * Update 2015 (§8.12, forensic dental).
 */

/** Type-1 (§8.1): transaction information. */
export const TYPE1: FieldNames = {
  1: 'LEN', 2: 'VER', 3: 'CNT', 4: 'TOT', 5: 'DAT', 6: 'PRY', 7: 'DAI', 8: 'ORI', 9: 'TCN', 10: 'TCR',
  11: 'NSR', 12: 'NTR', 13: 'DOM', 14: 'GMT', 15: 'DCS', 16: 'APS', 17: 'ANM', 18: 'GNS',
};

/**
 * Type-9 (§8.9, Tables 27–30): minutiae data. 9.005–9.012 are the 2007 legacy fields; 9.126–9.150
 * the INCITS 378 block; 9.176–9.179 the "other feature sets" block; 9.300–9.399 the Extended
 * Feature Set. The vendor blocks 9.013–9.175 have no standard names.
 */
export const TYPE9: FieldNames = {
  ...OPENING, 3: 'IMP', 4: 'FMT', 5: 'OFR', 6: 'FGP', 7: 'FPC', 8: 'CRP', 9: 'DLT', 10: 'MIN', 11: 'RDG', 12: 'MRC',
  126: 'CBI', 127: 'CEI', 128: 'HLL', 129: 'VLL', 130: 'SLC', 131: 'THPS', 132: 'TVPS', 133: 'FVW', 134: 'FGP', 135: 'FQD',
  136: 'NOM', 137: 'FMD', 138: 'RCI', 139: 'CIN', 140: 'DIN', 141: 'ADA',
  176: 'OOD', 177: 'PAG', 178: 'SOD', 179: 'DTX',
  300: 'ROI', 301: 'ORT', 302: 'FPP', 303: 'FSP', 307: 'PAT', 308: 'RQM', 309: 'RQF', 310: 'RFM', 311: 'RFF', 312: 'RWM',
  313: 'RWF', 314: 'TRV', 315: 'PLR', 316: 'FQM', 317: 'PGS', 320: 'COR', 321: 'DEL', 322: 'CDR', 323: 'CPR', 324: 'DIS',
  325: 'NCOR', 326: 'NDEL', 327: 'NDIS', 331: 'MIN', 332: 'MRA', 333: 'MRC', 334: 'NMIN', 335: 'RCC', 340: 'DOT', 341: 'INR',
  342: 'CLD', 343: 'REF', 344: 'NPOR', 345: 'POR', 346: 'NDOT', 347: 'NINR', 348: 'NCLD', 349: 'NREF', 350: 'MFD', 351: 'COM',
  352: 'LPM', 353: 'EAA', 354: 'EOF', 355: 'LSB', 356: 'LMT', 357: 'LQI', 360: 'AOC', 361: 'CPF', 362: 'ECD', 363: 'RRC',
  372: 'SIM', 373: 'RPS', 380: 'TPL', 381: 'FCC', 901: 'ULA', ...tail(902, 903, 904),
};

/** Type-11 (§8.11, Update 2013): forensic and investigatory voice. */
export const TYPE11: FieldNames = {
  ...OPENING, 3: 'AOD', 4: 'SRC', 5: 'VRSO', 6: 'VRC', 7: 'AREC', 8: 'AQS', 9: 'RCD', 10: 'VRD', 11: 'TRD', 12: 'PMO', 13: 'CONT',
  14: 'CDC', 21: 'RED', 22: 'RDD', 23: 'DIS', 24: 'DCD', 25: 'VOC', 26: 'VCD', 27: 'OCON', 28: 'OCD', 32: 'SGEO', 33: 'SQV',
  34: 'VCI', 35: 'PPY', 36: 'VSCD', 37: 'SCC', 38: 'SCH', 51: 'COM', ...tail(902, 993, 994, 995, 996, 997, 999),
};

/** Type-12 (§8.12, Update 2015): forensic dental and oral data; 990 and 991 point at its Type-10 and Type-22 images. */
export const TYPE12: FieldNames = {
  ...OPENING, 3: 'FDS', 4: 'SRC', 6: 'DSI', 7: 'ODES', 8: 'TDES', 9: 'HDD', 10: 'TDD', 11: 'MDD', 12: 'DSTI', 20: 'COM', 47: 'CON',
  ...tail(902, 990, 991, 992, 993, 994, 995, 996, 998, 999),
};

/** Type-18 (§8.18): DNA. Its profile is text; there is no 18.999. */
export const TYPE18: FieldNames = {
  ...OPENING, 3: 'DLS', 4: 'SRC', 5: 'NAL', 6: 'SDI', 7: 'COPR', 8: 'VRS', 9: 'PED', 10: 'STY', 11: 'STI', 12: 'SCM',
  13: 'SCD', 14: 'PSD', 15: 'DPD', 16: 'STR', 17: 'DMD', 18: 'UDP', 19: 'EPD', 20: 'DGD', 21: 'GAP', 22: 'COM', 23: 'EPL',
  ...tail(902, 992, 993, 995, 998),
};

/** Type-21 (§8.21): associated context. It has no 21.003. */
export const TYPE21: FieldNames = {
  ...OPENING, 4: 'SRC', 5: 'ACD', 6: 'MDI', 15: 'AFT', 16: 'SEG', 19: 'TIX', 20: 'COM', 21: 'ACN', 22: 'ICDR', 46: 'SUB', 47: 'CON',
  ...tail(902, 993, 994, 996, 998, 999),
};

/** Type-98 (§8.98): information assurance. */
export const TYPE98: FieldNames = { ...OPENING, 3: 'DFO', 4: 'SRC', 5: 'DFT', 6: 'DCD', 900: 'ALF', 901: 'ARN', ...tail(993) };

/** Type-99 (§8.99): CBEFF biometric data; its 999 is the biometric data block. */
export const TYPE99: FieldNames = {
  ...OPENING, 4: 'SRC', 5: 'BCD', 100: 'HDV', 101: 'BTY', 102: 'BDQ', 103: 'BFO', 104: 'BFT',
  ...tail(902, 903, 904, 993, 995, 996, 997, 998), 999: 'BDB',
};
