import { standardFieldName } from '../ansi-nist/field-names/index.ts';

/** Type-2 field mnemonics of EBTS, for people reading a dump. */
const TYPE2: Record<number, string> = {
  1: 'LEN', 2: 'IDC', 5: 'RET', 6: 'ATN', 9: 'OCA', 14: 'FBI', 15: 'SID', 16: 'SOC', 17: 'MNU', 18: 'NAM', 19: 'AKA',
  20: 'POB', 21: 'CTZ', 22: 'DOB', 24: 'SEX', 25: 'RAC', 27: 'HGT', 29: 'WGT', 31: 'EYE', 32: 'HAI', 37: 'RFP',
  38: 'DPR', 45: 'DOA', 47: 'ASL', 51: 'CSL', 59: 'SRF', 60: 'MSG', 64: 'CAN', 70: 'RAP', 73: 'CRI', 75: 'ERS',
  84: 'AMP', 87: 'TAA',
};

/**
 * The mnemonic of a field: EBTS names the Type-2 fields, ANSI/NIST-ITL 1-2011 every other type's.
 */
export function fieldMnemonic(type: number, number: number): string | undefined {
  return type === 2 ? TYPE2[number] : standardFieldName(type, number);
}
