/** Field mnemonics of ANSI/NIST-ITL 1-2011 and EBTS, for people reading a dump. */
const TYPE1: Record<number, string> = {
  1: 'LEN', 2: 'VER', 3: 'CNT', 4: 'TOT', 5: 'DAT', 6: 'PRY', 7: 'DAI', 8: 'ORI', 9: 'TCN', 10: 'TCR',
  11: 'NSR', 12: 'NTR', 13: 'DOM', 14: 'GMT', 15: 'DCS',
};

const TYPE2: Record<number, string> = {
  1: 'LEN', 2: 'IDC', 5: 'RET', 6: 'ATN', 9: 'OCA', 14: 'FBI', 15: 'SID', 16: 'SOC', 17: 'MNU', 18: 'NAM', 19: 'AKA',
  20: 'POB', 21: 'CTZ', 22: 'DOB', 24: 'SEX', 25: 'RAC', 27: 'HGT', 29: 'WGT', 31: 'EYE', 32: 'HAI', 37: 'RFP',
  38: 'DPR', 45: 'DOA', 47: 'ASL', 51: 'CSL', 59: 'SRF', 60: 'MSG', 64: 'CAN', 70: 'RAP', 73: 'CRI', 75: 'ERS',
  84: 'AMP', 87: 'TAA',
};

/** Types 13, 14 and 15 share the layout of their first fields. */
const VARIABLE_RESOLUTION_IMAGE: Record<number, string> = {
  1: 'LEN', 2: 'IDC', 3: 'IMP', 4: 'SRC', 5: 'FCD', 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA',
  12: 'BPX', 13: 'FGP', 14: 'PPD', 15: 'PPC', 16: 'SHPS', 17: 'SVPS', 20: 'COM', 21: 'SEG', 22: 'NQM', 23: 'SQM',
  24: 'FQM', 25: 'ASEG', 26: 'SCF', 27: 'SIF', 30: 'DMM', 31: 'FAP', 999: 'DATA',
};

const TYPE10: Record<number, string> = {
  1: 'LEN', 2: 'IDC', 3: 'IMT', 4: 'SRC', 5: 'PHD', 6: 'HLL', 7: 'VLL', 8: 'SLC', 9: 'THPS', 10: 'TVPS', 11: 'CGA',
  12: 'CSP', 13: 'SAP', 20: 'POS', 999: 'DATA',
};

const TYPE9: Record<number, string> = { 1: 'LEN', 2: 'IDC', 3: 'IMP', 4: 'FMT' };

const BY_TYPE: Record<number, Record<number, string>> = {
  1: TYPE1, 2: TYPE2, 9: TYPE9, 10: TYPE10, 13: VARIABLE_RESOLUTION_IMAGE, 14: VARIABLE_RESOLUTION_IMAGE,
  15: { ...VARIABLE_RESOLUTION_IMAGE, 13: 'PLP' },
};

/** Type-4 binary header fields, in order. */
export const TYPE4_FIELD_NAMES = ['LEN', 'IDC', 'IMP', 'FGP', 'ISR', 'HLL', 'VLL', 'GCA', 'DATA'];

export function fieldMnemonic(type: number, number: number): string | undefined {
  return BY_TYPE[type]?.[number];
}

