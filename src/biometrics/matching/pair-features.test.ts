import { describe, expect, it } from 'vitest';
import { ANGLE_BINS, LENGTH_BIN, LENGTH_BINS, MAX_PROBE_CELLS, probeCells } from './pair-features.ts';

describe('probeCells', () => {
  const lengthOf = (cell: number) => Math.floor(cell / (ANGLE_BINS * ANGLE_BINS));
  it('reads its own cell first, two length cells for a short pair and three for a long one, within the index', () => {
    const into = new Int32Array(MAX_PROBE_CELLS);
    const short = probeCells(5 * LENGTH_BIN + 1, 0.3, 0.6, into);
    expect(short).toBe(8);
    expect([...new Set(Array.from(into.subarray(0, short), lengthOf))]).toEqual([5, 4]);
    const long = probeCells(12 * LENGTH_BIN + 3, 0.3, 0.6, into);
    expect(long).toBe(12);
    expect([...new Set(Array.from(into.subarray(0, long), lengthOf))]).toEqual([12, 13, 11]);
    const longest = probeCells(LENGTH_BINS * LENGTH_BIN, 0.3, 0.6, into);
    expect(Array.from(into.subarray(0, longest), lengthOf).every((l) => l < LENGTH_BINS)).toBe(true);
  });
});
