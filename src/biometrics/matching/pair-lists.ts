import type { Pairs } from './pair-features.ts';

/**
 * A finger's pairs kept as the numbers of their minutiae, so that a shift vote (shift-votes.ts)
 * has them without finding each minutia's neighbours again, which costs more than the vote itself:
 * one byte per minutia (how many pairs it is the first of) and one per pair (its second, a later
 * minutia), about 190 bytes a finger instead of 4 a pair for both numbers.
 *
 * A number above 255 does not fit a byte, so a template of more minutiae keeps an empty list and a
 * shift vote finds none of its pairs. Extraction keeps at most 120; only an imported template has more.
 */
const MOST_MINUTIAE = 256;

export function encodePairList(pairs: Pairs, minutiae: number): Uint8Array {
  if (minutiae > MOST_MINUTIAE) return new Uint8Array(0);
  const list = new Uint8Array(minutiae + pairs.count);
  for (let p = 0; p < pairs.count; p++) list[pairs.first[p]]++;
  // Each minutia's seconds follow one another, in the order of their firsts.
  const at = new Uint16Array(minutiae);
  for (let i = 0, next = minutiae; i < minutiae; i++) {
    at[i] = next;
    next += list[i];
  }
  for (let p = 0; p < pairs.count; p++) list[at[pairs.first[p]]++] = pairs.second[p];
  return list;
}

/** A finger's pairs as the numbers of their two minutiae. */
export interface PairEnds {
  readonly count: number;
  readonly first: ArrayLike<number>;
  readonly second: ArrayLike<number>;
}

/** Decoding's arrays, kept between calls (a thread reads one finger's list at a time). */
let ends = { first: new Uint8Array(0), second: new Uint8Array(0) };

/** The pairs of a list (for a template of `minutiae` minutiae), valid until the next call. */
export function decodePairList(list: Uint8Array, minutiae: number): PairEnds {
  const count = list.length === 0 ? 0 : list.length - minutiae;
  if (ends.first.length < count) ends = { first: new Uint8Array(2 * count), second: new Uint8Array(2 * count) };
  const { first, second } = ends;
  // The counts of the minutiae before the last one to begin a pair add up to `count`.
  for (let i = 0, p = 0; p < count; i++) {
    for (let k = list[i]; k > 0; k--, p++) {
      first[p] = i;
      second[p] = list[minutiae + p];
    }
  }
  return { count, first, second };
}
