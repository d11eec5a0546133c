import { CELLS } from './pair-features.ts';

/**
 * Index entries sorted by cell into one typed array: cell c's entries are
 * `entries[start[c]]` … `entries[start[c + 1] − 1]`, in the order they were filed. An index made
 * of a few such segments costs a few large allocations, where one growable list per cell costs
 * each of its tens of thousands of lists a dozen reallocations on the way to a million fingers.
 */
export interface Segment {
  readonly entries: Uint32Array;
  readonly start: Uint32Array;
}

/** A segment of `count` entries, `entries[k]` filed under `cells[k]`: a counting sort, which keeps each cell's entries in their order. */
export function sortedSegment(cells: Uint32Array, entries: Uint32Array, count: number): Segment {
  const start = new Uint32Array(CELLS + 1);
  for (let k = 0; k < count; k++) start[cells[k] + 1]++;
  for (let c = 0; c < CELLS; c++) start[c + 1] += start[c];
  const sorted = new Uint32Array(count);
  const next = start.slice(0, CELLS);
  for (let k = 0; k < count; k++) sorted[next[cells[k]]++] = entries[k];
  return { entries: sorted, start };
}

/** One segment holding the entries of `segments`, each cell's in the segments' order. */
export function mergedSegment(segments: readonly Segment[]): Segment {
  let total = 0;
  for (const segment of segments) total += segment.entries.length;
  const entries = new Uint32Array(total);
  const start = new Uint32Array(CELLS + 1);
  let at = 0;
  for (let c = 0; c < CELLS; c++) {
    start[c] = at;
    for (const segment of segments) {
      const to = segment.start[c + 1];
      for (let k = segment.start[c]; k < to; k++) entries[at++] = segment.entries[k];
    }
  }
  start[CELLS] = at;
  return { entries, start };
}
