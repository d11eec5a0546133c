import type { ImageSummary } from './image-records.ts';
import { fieldText, splitSubfields, type AnsiNistTransaction } from './model.ts';
import { transactionProblem } from './problems.ts';

/** Slap positions (ANSI/NIST-ITL 1-2011 Table 8) and the fingers in them, as they lie left to right in the image. */
export const SLAP_FINGERS: Readonly<Record<number, readonly number[]>> = {
  13: [2, 3, 4, 5], // plain right four fingers: index at the thumb's side, on the left
  14: [10, 9, 8, 7], // plain left four fingers: little finger on the left
  15: [6, 1], // left and right thumbs
};

/** One finger of a slap as field 14.021 SEG places it, in the record's own pixels. */
export interface SlapSegment {
  readonly position: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/**
 * Reads 14.021 SEG of a slap record: one subfield per finger, FGP, left, right, top and bottom
 * coordinates. Undefined when the record has none. A segment outside the image, or naming a
 * finger the slap does not hold, is refused with the record and field.
 */
export function slapSegments(transaction: AnsiNistTransaction, summary: ImageSummary): SlapSegment[] | undefined {
  const record = transaction.records[summary.record - 1];
  if (record?.kind !== 'tagged' || record.type !== 14) return undefined;
  const text = fieldText(record, 21);
  if (!text) return undefined;
  const allowed = new Set(summary.positions.flatMap((slap) => SLAP_FINGERS[slap] ?? []));
  const where = { record: summary.record, recordType: 14, field: '14.021', offset: 0, idc: summary.idc };
  return splitSubfields(text).map((items, i) => {
    const values = items.map(Number);
    const [position, left, right, top, bottom] = values;
    if (items.length !== 5 || !values.every(Number.isInteger)) throw transactionProblem('AN_BAD_SEGMENT', `subfield ${i + 1} of 14.021 SEG must be FGP, left, right, top and bottom`, where);
    if (!allowed.has(position)) throw transactionProblem('AN_BAD_SEGMENT', `14.021 SEG places finger ${position}, which slap ${summary.positions.join(',')} does not hold`, where);
    if (left < 0 || top < 0 || right > summary.width || bottom > summary.height || right - left < 8 || bottom - top < 8) {
      throw transactionProblem('AN_BAD_SEGMENT', `14.021 SEG box ${left}–${right} × ${top}–${bottom} of finger ${position} is not inside the ${summary.width}×${summary.height} image`, where);
    }
    return { position, left, right, top, bottom };
  });
}
