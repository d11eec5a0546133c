import { summarizeImage, isImageRecord, type ImageSummary } from '../ansi-nist/image-records.ts';
import { type AnsiNistRecord, type AnsiNistTransaction, binaryRecordLength, type BinaryRecord, DEFINED_RECORD_TYPES, fieldText } from '../ansi-nist/model.ts';
import { fieldMnemonic } from './mnemonics.ts';

/** Finger and palm position names (ANSI/NIST-ITL 1-2011 tables 8 and 9, short forms). */
const POSITION_NAMES: Record<number, string> = {
  0: 'unknown finger', 1: 'right thumb', 2: 'right index', 3: 'right middle', 4: 'right ring', 5: 'right little',
  6: 'left thumb', 7: 'left index', 8: 'left middle', 9: 'left ring', 10: 'left little', 11: 'plain right thumb',
  12: 'plain left thumb', 13: 'plain right four fingers', 14: 'plain left four fingers', 15: 'left and right thumbs',
};
const MAX_SHOWN_VALUE = 160;

/**
 * A readable listing of a transaction: one block per record, each field with its mnemonic and
 * its value (subfields separated by " | ", items by "/"), image records summarised instead of
 * printed. Pure: returns lines for the CLI to print.
 */
export function describeTransaction(transaction: AnsiNistTransaction): string[] {
  const lines: string[] = [];
  let offset = 0;
  transaction.records.forEach((record, i) => {
    const length = recordLength(record);
    const idc = record.kind !== 'tagged' ? record.idc : record.type === 1 ? undefined : fieldText(record, 2);
    const opaque = DEFINED_RECORD_TYPES.has(record.type) ? '' : '  (a type the standard does not define: passed on unchanged)';
    lines.push(`record ${i + 1}  Type-${record.type}${idc === undefined ? '' : `  IDC ${idc}`}  ${length} bytes at offset ${offset}${opaque}`);
    if (record.kind === 'tagged') {
      for (const field of record.fields) {
        const mnemonic = fieldMnemonic(record.type, field.number) ?? '';
        const shown = typeof field.value === 'string' ? showText(field.value) : `<${field.value.length} bytes of image data>`;
        lines.push(`  ${field.tag.padEnd(7)} ${mnemonic.padEnd(5)} ${shown}`);
      }
    } else {
      lines.push(`  ${binaryHeader(record)}`);
    }
    if (isImageRecord(record)) lines.push(`  image: ${describeImage(summarizeImage(transaction, i + 1))}`);
    offset += length;
  });
  return lines;
}

export function describeImage(summary: ImageSummary): string {
  const positions = summary.positions.map((p) => (summary.type === 15 ? `palm ${p}` : `${p} ${POSITION_NAMES[p] ?? ''}`.trim()));
  const parts = [
    positions.length > 0 ? `position ${positions.join(', ')}` : `Type-${summary.type} image`,
    summary.impression === undefined ? undefined : `impression ${summary.impression}`,
    `${summary.width}×${summary.height} px`,
    summary.ppi === undefined ? 'resolution not stated' : `${Math.round(summary.ppi)} ppi`,
    summary.compression,
    `${summary.data.length} bytes`,
  ];
  return parts.filter((part) => part !== undefined).join(', ');
}

function recordLength(record: AnsiNistRecord): number {
  if (record.kind !== 'tagged') return binaryRecordLength(record);
  const declared = Number(fieldText(record, 1));
  return Number.isFinite(declared) ? declared : 0;
}

/** The header of a binary record, each value after the name the standard gives it. */
export function binaryHeader(record: BinaryRecord): string {
  if (record.kind === 'user-defined-image') return `IDC ${record.idc}  DATA ${record.data.length} bytes (user-defined)`;
  if (record.kind === 'signature') {
    return `SIG ${record.sig}  SRT ${record.srt}  ISR ${record.isr}  HLL ${record.width}  VLL ${record.height}  DATA ${record.data.length} bytes`;
  }
  const compression = record.type <= 4 ? 'GCA' : 'BCA';
  return `IMP ${record.imp}  FGP ${record.fgp.join(' ')}  ISR ${record.isr}  HLL ${record.width}  VLL ${record.height}  ${compression} ${record.gca}`;
}

function showText(value: string): string {
  const readable = value.replaceAll('\x1e', ' | ').replaceAll('\x1f', '/').replace(/[^\x20-\x7e]/g, ' ');
  return readable.length > MAX_SHOWN_VALUE ? `${readable.slice(0, MAX_SHOWN_VALUE)}… (${value.length} characters)` : readable;
}
