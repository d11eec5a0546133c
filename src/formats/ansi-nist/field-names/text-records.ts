import { type FieldNames, OPENING, SHARED_TAIL } from './common.ts';

/** Type-1: transaction information. */
export const TYPE1: FieldNames = {
  1: 'LEN', 2: 'VER', 3: 'CNT', 4: 'TOT', 5: 'DAT', 6: 'PRY', 7: 'DAI', 8: 'ORI', 9: 'TCN', 10: 'TCR',
  11: 'NSR', 12: 'NTR', 13: 'DOM', 14: 'GMT', 15: 'DCS', 16: 'APS', 17: 'ANM', 18: 'GNS',
};

/** Type-9: minutiae data, with the INCITS 378 block (126–150) and the Extended Feature Set (300–399). */
export const TYPE9: FieldNames = {
  ...OPENING, 3: 'IMP', 4: 'FMT', 5: 'OFR', 6: 'FGP', 7: 'FPC', 8: 'CRP', 9: 'DLT', 10: 'MIN', 11: 'RDG', 12: 'MRC',
  126: 'CBI', 127: 'CEI', 128: 'HLL', 129: 'VLL', 130: 'HPS', 131: 'VPS', 132: 'FVW', 133: 'FGP', 134: 'FQD', 135: 'FCP',
  136: 'NMN', 137: 'FMD', 138: 'RCI', 139: 'CIN', 140: 'DIN', 141: 'ADA',
  300: 'ROI', 301: 'ORT', 302: 'FPP', 303: 'FSP', 307: 'PAT', 308: 'RQM', 310: 'RFM', 311: 'RCQ',
  320: 'COR', 321: 'DEL', 322: 'CDR', 324: 'CPR', 325: 'DIS', 326: 'NCOR', 327: 'NDEL', 328: 'NDIS',
  331: 'MIN', 332: 'MRA', 333: 'MRC', 334: 'NMIN', 335: 'RCC', 340: 'DOT', 341: 'INR', 342: 'CLD', 343: 'REF',
  344: 'NPOR', 345: 'POR', 346: 'NDOT', 347: 'NINR', 348: 'NCLD', 349: 'NREF', 350: 'MFD', 351: 'COM', 352: 'LPM',
  353: 'EAA', 354: 'EOF', 355: 'LSB', 356: 'LMT', 357: 'LQI', 360: 'AOC', 361: 'CPF', 362: 'ECD', 363: 'RRC',
  372: 'SIM', 373: 'RPS', 380: 'TPL', 381: 'FCC', 901: 'ULA', 902: 'ANN', 903: 'DUI', 904: 'MMS',
};

/** Type-11: forensic and investigatory voice (Update 2013). */
export const TYPE11: FieldNames = { ...OPENING, 3: 'AOD', 4: 'SRC', 5: 'VRSO', 20: 'COM', ...SHARED_TAIL };

/** Type-12: forensic dental and oral data (Update 2015). */
export const TYPE12: FieldNames = { ...OPENING, 3: 'FDS', 4: 'SRC', 20: 'COM', ...SHARED_TAIL };

/** Type-18: DNA. */
export const TYPE18: FieldNames = {
  ...OPENING, 3: 'DLS', 4: 'SRC', 5: 'NAL', 6: 'SDI', 7: 'COPR', 8: 'VRS', 9: 'PED', 10: 'STY', 11: 'STI', 12: 'SCM',
  13: 'SCD', 14: 'PSD', 15: 'DPD', 16: 'STR', 17: 'DMD', 18: 'UDP', 19: 'EPD', 20: 'DGD', 21: 'GAP', 22: 'COM', 23: 'EPL',
  ...SHARED_TAIL,
};

/** Type-21: associated context. */
export const TYPE21: FieldNames = { ...OPENING, 4: 'SRC', 5: 'ACD', 15: 'AFT', 16: 'SEG', 19: 'TIX', 20: 'COM', 21: 'ACN', 22: 'ICDR', ...SHARED_TAIL };

/** Type-98: information assurance. */
export const TYPE98: FieldNames = { ...OPENING, 3: 'DFO', 4: 'SRC', 5: 'DFT', 6: 'DCD', 900: 'ALF', 901: 'ARN', 902: 'ANN', 903: 'DUI', 904: 'MMS' };

/** Type-99: CBEFF biometric data; its 999 is the biometric data block. */
export const TYPE99: FieldNames = {
  ...OPENING, 4: 'SRC', 5: 'BCD', 100: 'HDV', 101: 'BTY', 102: 'BDQ', 103: 'BFO', 104: 'BFT',
  902: 'ANN', 903: 'DUI', 904: 'MMS', 993: 'SAN', 995: 'ASC', 996: 'HAS', 997: 'SOR', 998: 'GEO', 999: 'BDB',
};
