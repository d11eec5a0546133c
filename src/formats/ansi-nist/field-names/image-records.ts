import { type FieldNames, OPENING, SHARED_TAIL } from './common.ts';

/** Fields 6–12 of the tagged image records: size, scale, compression, bit depth. */
const GEOMETRY: FieldNames = { 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA', 12: 'BPX' };

/** Type-10: facial, other body part and scar, mark and tattoo images. */
export const TYPE10: FieldNames = {
  ...OPENING, 3: 'IMT', 4: 'SRC', 5: 'PHD', ...GEOMETRY, 12: 'CSP', 13: 'SAP', 14: 'FIP', 15: 'FPFI', 16: 'SHPS', 17: 'SVPS',
  18: 'DIST', 19: 'LAF', 20: 'POS', 21: 'POA', 22: 'PXS', 23: 'PAS', 24: 'SQS', 25: 'SPA', 26: 'SXS', 27: 'SEC', 28: 'SHC',
  29: 'FFP', 30: 'DMM', 31: 'TMC', 32: '3DF', 33: 'FEC', 34: 'ICDR', 38: 'COM', 39: 'T10', 40: 'SMT', 41: 'SMS', 42: 'SMD',
  43: 'COL', 44: 'ITX', 45: 'OCC', 46: 'SUB', 47: 'CON', 48: 'PID', 49: 'CID', 50: 'VID', 51: 'RSP', ...SHARED_TAIL,
};

/** Types 13, 14 and 15 share the layout of their first fields. */
const FRICTION_RIDGE: FieldNames = {
  ...OPENING, 3: 'IMP', 4: 'SRC', 5: 'FCD', ...GEOMETRY, 13: 'FGP', 16: 'SHPS', 17: 'SVPS', 20: 'COM', 30: 'DMM', ...SHARED_TAIL,
};

/** Type-13: friction-ridge latent image. */
export const TYPE13: FieldNames = { ...FRICTION_RIDGE, 5: 'LCD', 14: 'SPD', 15: 'PPC', 24: 'LQM' };

/** Type-14: fingerprint image (rolled, plain, slaps). */
export const TYPE14: FieldNames = {
  ...FRICTION_RIDGE, 14: 'PPD', 15: 'PPC', 18: 'AMP', 21: 'SEG', 22: 'NQM', 23: 'SQM', 24: 'FQM', 25: 'ASEG', 26: 'SCF', 27: 'SIF', 31: 'FAP',
};

/** Type-15: palm print image; 15.013 holds palm positions. */
export const TYPE15: FieldNames = { ...FRICTION_RIDGE, 5: 'PCD', 13: 'PLP', 18: 'AMP', 24: 'PQM' };

/** Type-16: user-defined testing image. */
export const TYPE16: FieldNames = { ...OPENING, 3: 'UDI', 4: 'SRC', 5: 'UTD', ...GEOMETRY, 13: 'CSP', 16: 'SHPS', 17: 'SVPS', 20: 'COM', 24: 'UQS', 30: 'DMM', ...SHARED_TAIL };

/** Type-17: iris image. */
export const TYPE17: FieldNames = {
  ...OPENING, 3: 'ELR', 4: 'SRC', 5: 'ICD', ...GEOMETRY, 13: 'CSP', 14: 'RAE', 15: 'RAU', 16: 'IPC', 17: 'DUI', 19: 'MMS',
  20: 'ECL', 21: 'COM', 22: 'SHPS', 23: 'SVPS', 24: 'IQS', 25: 'EAS', 26: 'IRD', 27: 'SSV', 28: 'DME', 30: 'DMM', 31: 'IAP',
  32: 'ISF', 33: 'IPB', 34: 'ISB', 35: 'UEB', 36: 'LEB', 37: 'NEO', 40: 'RAN', 41: 'GAZ', ...SHARED_TAIL,
};

/** Type-19: plantar (foot) friction-ridge image. */
export const TYPE19: FieldNames = { ...FRICTION_RIDGE, 5: 'PCD', 18: 'AMP', 19: 'FSP', 24: 'FQM' };

/** Type-20: source representation. */
export const TYPE20: FieldNames = {
  ...OPENING, 3: 'CAR', 4: 'SRC', 5: 'SRD', ...GEOMETRY, 13: 'CSP', 14: 'AQS', 15: 'SFT', 16: 'SEG', 17: 'SHPS', 18: 'SVPS',
  19: 'TIX', 20: 'COM', 21: 'SRN', 22: 'ICDR', ...SHARED_TAIL,
};

/** Type-22: non-photographic imagery. */
export const TYPE22: FieldNames = { ...OPENING, 3: 'ICD', 4: 'SRC', 5: 'ICDR', 6: 'BIC', 20: 'COM', ...SHARED_TAIL };
