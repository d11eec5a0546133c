import { describe, expect, it } from 'vitest';
import { ANGLE_BINS, cellOf, LENGTH_BIN, LENGTH_BINS, REVOTE_CELLS, revoteCells, MAX_PROBE_CELLS, probeCells } from './pair-features.ts';

describe('probeCells', () => {
  const lengthOf = (cell: number) => Math.floor(cell / (ANGLE_BINS * ANGLE_BINS));
  it('reads its own cell first, two length cells for a short pair and three for a long one, within the index', () => {
    const into = new Int32Array(MAX_PROBE_CELLS);
    const short = probeCells(5 * LENGTH_BIN + 1, 0.3, 0.6, into, 'near');
    expect(short).toBe(8);
    expect([...new Set(Array.from(into.subarray(0, short), lengthOf))]).toEqual([5, 4]);
    const long = probeCells(12 * LENGTH_BIN + 3, 0.3, 0.6, into, 'near');
    expect(long).toBe(12);
    expect([...new Set(Array.from(into.subarray(0, long), lengthOf))]).toEqual([12, 13, 11]);
    const longest = probeCells(LENGTH_BINS * LENGTH_BIN, 0.3, 0.6, into, 'near');
    expect(Array.from(into.subarray(0, longest), lengthOf).every((l) => l < LENGTH_BINS)).toBe(true);
  });

  it('finds a pair turned by a cell away from the side it lies nearer to only when it reads wide', () => {
    const cell = 1 / ANGLE_BINS;
    // Near the low edge of its start-angle cell, so a near read looks one cell down, not up.
    const [length, start, end] = [5 * LENGTH_BIN + 1, 8.2 * cell, 20.5 * cell];
    const turnedUp = cellOf(length, start + cell, end);
    const near = new Int32Array(MAX_PROBE_CELLS);
    const wide = new Int32Array(MAX_PROBE_CELLS);
    const nearCount = probeCells(length, start, end, near, 'near');
    const wideCount = probeCells(length, start, end, wide, 'wide');
    expect(Array.from(near.subarray(0, nearCount))).not.toContain(turnedUp);
    expect(Array.from(wide.subarray(0, wideCount))).toContain(turnedUp);
    expect(wideCount).toBe(18);
    expect(wide[0]).toBe(cellOf(length, start, end));
    // A wide read holds every near one.
    expect(Array.from(near.subarray(0, nearCount)).every((c) => wide.subarray(0, wideCount).includes(c))).toBe(true);
    expect(probeCells(12 * LENGTH_BIN + 3, start, end, wide, 'wide')).toBe(MAX_PROBE_CELLS);
  });
});

describe('revoteCells', () => {
  it('reads every cell within a length cell and two angle cells, round the turn and within the lengths', () => {
    const cell = 1 / ANGLE_BINS;
    const into = new Int32Array(REVOTE_CELLS);
    const [length, start, end] = [10 * LENGTH_BIN + 1, 0.5 * cell, 20.5 * cell];
    const count = revoteCells(length, start, end, into);
    expect(count).toBe(75);
    const read = new Set(into.subarray(0, count));
    expect(read.size).toBe(75);
    expect(read.has(cellOf(length + LENGTH_BIN, start - 2 * cell + 1, end + 2 * cell))).toBe(true);
    expect(read.has(cellOf(length - LENGTH_BIN, start, end - 2 * cell))).toBe(true);
    expect(read.has(cellOf(length, start + 3 * cell, end))).toBe(false);
    expect(read.has(cellOf(length + 2 * LENGTH_BIN, start, end))).toBe(false);
    expect(revoteCells(1, start, end, into)).toBe(50);
  });
});
