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

/** The pairs of a list (for a template of `minutiae` minutiae) as first and second minutiae, into `first` and `second` (each at least `list.length` long); returns how many. */
export function decodePairList(list: Uint8Array, minutiae: number, first: Uint8Array, second: Uint8Array): number {
  if (list.length === 0) return 0;
  const count = list.length - minutiae;
  let p = 0;
  for (let i = 0; i < minutiae; i++) {
    for (let k = list[i]; k > 0; k--) {
      first[p] = i;
      second[p] = list[minutiae + p];
      p++;
    }
  }
  return count;
}
