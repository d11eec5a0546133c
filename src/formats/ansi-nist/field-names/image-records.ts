import { type FieldNames, OPENING, tail } from './common.ts';

/**
 * Field mnemonics of the image records, from the record layout tables of ANSI/NIST-ITL 1-2011
 * Update 2013 (§8.10, §8.13–§8.17, §8.19, §8.20, §8.22) with the Update 2015 additions
 * (FCT 901 on friction-ridge images, the dental fields of Type-22).
 */

/** Fields 6–12 of the tagged image records: size, scale, compression, bit depth. */
const GEOMETRY: FieldNames = { 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA', 12: 'BPX' };

/** SUB and CON, added to most image types by Update 2013. */
const SUBJECT: FieldNames = { 46: 'SUB', 47: 'CON' };

/** Type-10 (§8.10): facial, other body part and scar, mark and tattoo images. 10.012 is colour space, not bit depth. */
export const TYPE10: FieldNames = {
  ...OPENING, 3: 'IMT', 4: 'SRC', 5: 'PHD', ...GEOMETRY, 12: 'CSP', 13: 'SAP', 14: 'FIP', 15: 'FPFI', 16: 'SHPS', 17: 'SVPS',
  18: 'DIST', 19: 'LAF', 20: 'POS', 21: 'POA',
  // 10.022 PXS (photo description) is from the 2007 edition; 1-2011 keeps its number unused so old records still read.
  22: 'PXS',
  23: 'PAS', 24: 'SQS', 25: 'SPA', 26: 'SXS', 27: 'SEC', 28: 'SHC',
  29: 'FFP', 30: 'DMM', 31: 'TMC', 32: '3DF', 33: 'FEC', 34: 'ICDR', 38: 'COM', 39: 'T10', 40: 'SMT', 41: 'SMS', 42: 'SMD',
  43: 'COL', 44: 'ITX', 45: 'OCC', ...SUBJECT, 48: 'PID', 49: 'CID', 50: 'VID', 51: 'RSP',
  ...tail(902, 903, 904, 992, 993, 994, 995, 996, 997, 998, 999),
};

/** Fields Types 13, 14, 15 and 19 share: the friction-ridge image layout. */
const FRICTION_RIDGE: FieldNames = {
  ...OPENING, 3: 'IMP', 4: 'SRC', ...GEOMETRY, 13: 'FGP', 16: 'SHPS', 17: 'SVPS', 20: 'COM', ...SUBJECT,
  ...tail(901, 902, 903, 904, 993, 994, 995, 996, 997, 998, 999),
};

/** Type-13 (§8.13): friction-ridge latent image. A latent has no device monitoring mode (no 13.030). */
export const TYPE13: FieldNames = { ...FRICTION_RIDGE, 5: 'LCD', 14: 'SPD', 15: 'PPC', 18: 'RSP', 19: 'REM', 24: 'LQM' };

/** Type-14 (§8.14): fingerprint image (rolled, plain, slaps). */
export const TYPE14: FieldNames = {
  ...FRICTION_RIDGE, 5: 'FCD', 14: 'PPD', 15: 'PPC', 18: 'AMP', 21: 'SEG', 22: 'NQM', 23: 'SQM', 24: 'FQM', 25: 'ASEG', 26: 'SCF',
  27: 'SIF', 30: 'DMM', 31: 'FAP',
};

/** Type-15 (§8.15): palm print image. 15.013 is FGP since 1-2011 (it was PLP in 2007). */
export const TYPE15: FieldNames = { ...FRICTION_RIDGE, 5: 'PCD', 18: 'AMP', 21: 'SEG', 24: 'PQM', 30: 'DMM', 31: 'PAP' };

/** Type-16 (§8.16): user-defined testing image. */
export const TYPE16: FieldNames = {
  ...OPENING, 3: 'UDI', 4: 'SRC', 5: 'UTD', ...GEOMETRY, 13: 'CSP', 16: 'SHPS', 17: 'SVPS', 20: 'COM', 24: 'UQS', 30: 'DMM',
  ...tail(902, 903, 904, 993, 995, 996, 997, 998, 999),
};

/** Type-17 (§8.17): iris image. DUI and MMS sit at 17.017 and 17.019 here, kept from the 2007 layout. */
export const TYPE17: FieldNames = {
  ...OPENING, 3: 'ELR', 4: 'SRC', 5: 'ICD', ...GEOMETRY, 13: 'CSP', 14: 'RAE', 15: 'RAU', 16: 'IPC', 17: 'DUI', 19: 'MMS',
  20: 'ECL', 21: 'COM', 22: 'SHPS', 23: 'SVPS', 24: 'IQS', 25: 'EAS', 26: 'IRD', 27: 'SSV', 28: 'DME', 30: 'DMM', 31: 'IAP',
  32: 'ISF', 33: 'IPB', 34: 'ISB', 35: 'UEB', 36: 'LEB', 37: 'NEO', 40: 'RAN', 41: 'GAZ',
  ...tail(902, 993, 995, 996, 997, 998, 999),
};

/** Type-19 (§8.19): plantar (foot) friction-ridge image. */
export const TYPE19: FieldNames = { ...FRICTION_RIDGE, 5: 'PCD', 18: 'AMP', 19: 'FSP', 21: 'SEG', 24: 'FQM', 30: 'DMM' };

/** Type-20 (§8.20): source representation. */
export const TYPE20: FieldNames = {
  ...OPENING, 3: 'CAR', 4: 'SRC', 5: 'SRD', ...GEOMETRY, 13: 'CSP', 14: 'AQS', 15: 'SFT', 16: 'SEG', 17: 'SHPS', 18: 'SVPS',
  19: 'TIX', 20: 'COM', 21: 'SRN', 22: 'ICDR', ...tail(902, 903, 904, 993, 994, 995, 996, 998, 999),
};

/** Type-22 (§8.22): non-photographic imagery; 101–103 describe dental radiographs (Update 2015). */
export const TYPE22: FieldNames = {
  ...OPENING, 3: 'ICD', 4: 'SRC', 5: 'ICDR', 6: 'BIC', 20: 'COM', ...SUBJECT, 101: 'ITYP', 102: 'IFMT', 103: 'DRID',
  ...tail(902, 903, 904, 992, 993, 994, 995, 996, 997, 998, 999),
};
