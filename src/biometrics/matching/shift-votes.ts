import { cellOf, describePair, DIRECTIONS, type MinutiaPoints, type Pairs, pairWay, REVOTE_CELLS, revoteCells, WAYS } from './pair-features.ts';
import type { PairEnds } from './pair-lists.ts';
import { sortedSegment } from './pair-segments.ts';

/**
 * A shift vote: a finger the pair index voted for well is voted for again, each vote now saying
 * both how far the finger turns and where it then lies. A pair's midpoint, taken about its
 * template's centroid and turned by the vote's turn, lands near the probe pair's midpoint shifted
 * by the same amount for every pair the two prints share; a stranger's chance agreements scatter
 * over the shifts. The score is the votes at the best turn and shift against what the finger's
 * votes would give one such cell by chance.
 *
 * Shifts are counted in cells of SHIFT_CELL pixels wrapped into SHIFT_CELLS × SHIFT_CELLS (a true
 * shift far from the centre still gathers in one cell; strangers' far shifts only add to chance),
 * each vote added to the 2 × 2 cells nearest it so that a mate's votes do not split at a border.
 */

const TURNS = 16;
const SHIFT_CELL = 32;
const SHIFT_CELLS = 8;
const SHIFT_MASK = SHIFT_CELLS - 1;
const PLACES = SHIFT_CELLS * SHIFT_CELLS;
/** A whole number of wraps, far more than any shift spans, less the half cell that makes the nearer of two cells the lower. */
const CELL_OFFSET = 64 * SHIFT_CELLS - 0.5;
/** Chance's share of a finger's votes in one scored cell: two turns, each vote written to four of a turn's places. */
const CHANCE_SHARE = (2 * 4) / (TURNS * PLACES);

const COS = Float64Array.from({ length: DIRECTIONS }, (_, d) => Math.cos((2 * Math.PI * d) / DIRECTIONS));
const SIN = Float64Array.from({ length: DIRECTIONS }, (_, d) => Math.sin((2 * Math.PI * d) / DIRECTIONS));

/** A probe finger's reads, grouped by the cell they read, with where each read's pair lies. */
export interface ShiftProbe {
  /** Reads of cell c are `cellStart[c]` … `cellStart[c + 1] − 1`. */
  readonly cellStart: Uint32Array;
  readonly weight: Float32Array;
  /** The read's pair direction, in DIRECTIONS of a turn. */
  readonly direction: Int32Array;
  /** The read's pair midpoint about the probe's centroid, in shift cells. */
  readonly x: Float32Array;
  readonly y: Float32Array;
}

/** The probe's reads (revoteCells of each pair, both ways round), weighed by `weight` of their cells. */
export function shiftProbe(probe: Pairs, points: MinutiaPoints, weight: Float32Array): ShiftProbe {
  const { cx, cy } = centroid(points);
  const most = probe.count * 2 * REVOTE_CELLS;
  const cellOfRead = new Uint32Array(most);
  const pairOfRead = new Uint32Array(most);
  const directionOfRead = new Int32Array(most);
  const cells = new Int32Array(REVOTE_CELLS);
  let count = 0;
  for (let p = 0; p < probe.count; p++) {
    for (const way of WAYS) {
      const [start, end, direction] = pairWay(probe, p, way);
      const n = revoteCells(probe.length[p], start, end, cells);
      for (let c = 0; c < n; c++) {
        cellOfRead[count] = cells[c];
        pairOfRead[count] = p;
        directionOfRead[count++] = Math.floor(direction * DIRECTIONS) & (DIRECTIONS - 1);
      }
    }
  }
  // The reads sorted by cell as the index sorts its entries; each read is its number here.
  const { entries: order, start: cellStart } = sortedSegment(cellOfRead, Uint32Array.from({ length: count }, (_, r) => r), count);
  const read = { weight: new Float32Array(count), direction: new Int32Array(count), x: new Float32Array(count), y: new Float32Array(count) };
  for (let k = 0; k < count; k++) {
    const r = order[k];
    const p = pairOfRead[r];
    read.weight[k] = weight[cellOfRead[r]];
    read.direction[k] = directionOfRead[r];
    read.x[k] = ((points.x[probe.first[p]] + points.x[probe.second[p]]) / 2 - cx) / SHIFT_CELL;
    read.y[k] = ((points.y[probe.first[p]] + points.y[probe.second[p]]) / 2 - cy) / SHIFT_CELL;
  }
  return { cellStart, ...read };
}

/** The working table of one thread, and one pair's features (a vote runs start to end without yielding). */
const table = new Float32Array(TURNS * PLACES);
const features = new Float32Array(4);

/**
 * The finger's votes at its best-agreeing turn and shift, as a z-score against its own votes
 * spread by chance over the turns and shifts; 0 for a finger no probe pair finds.
 */
export function shiftScore(probe: ShiftProbe, points: MinutiaPoints, pairs: PairEnds): number {
  const { cx, cy } = centroid(points);
  const { cellStart, weight, direction, x, y } = probe;
  const { x: px, y: py } = points;
  const { first, second } = pairs;
  table.fill(0);
  let cast = 0;
  for (let q = 0; q < pairs.count; q++) {
    const a = first[q];
    const b = second[q];
    describePair(points, a, b, features, 0, 1);
    const c = cellOf(features[0], features[1], features[2]);
    const from = cellStart[c];
    const to = cellStart[c + 1];
    if (from === to) continue;
    const own = Math.floor(features[3] * DIRECTIONS) & (DIRECTIONS - 1);
    const mx = ((px[a] + px[b]) / 2 - cx) / SHIFT_CELL;
    const my = ((py[a] + py[b]) / 2 - cy) / SHIFT_CELL;
    for (let r = from; r < to; r++) {
      const turn = (direction[r] - own) & (DIRECTIONS - 1);
      // The gallery midpoint turned as the vote says (image y points down, turns are counter-clockwise as seen).
      const cos = COS[turn];
      const sin = SIN[turn];
      // The lower of the two nearest cells each way; the offset keeps the sum positive, so truncation floors it.
      const fx = (x[r] - (mx * cos + my * sin) + CELL_OFFSET) | 0;
      const fy = (y[r] - (my * cos - mx * sin) + CELL_OFFSET) | 0;
      const base = (turn >> 2) * PLACES;
      const w = weight[r];
      const x0 = fx & SHIFT_MASK;
      const x1 = (fx + 1) & SHIFT_MASK;
      const y0 = (fy & SHIFT_MASK) * SHIFT_CELLS;
      const y1 = ((fy + 1) & SHIFT_MASK) * SHIFT_CELLS;
      table[base + y0 + x0] += w;
      table[base + y0 + x1] += w;
      table[base + y1 + x0] += w;
      table[base + y1 + x1] += w;
      cast += w;
    }
  }
  let top = 0;
  for (let t = 0; t < TURNS; t++) {
    const here = t * PLACES;
    const before = ((t + TURNS - 1) % TURNS) * PLACES;
    for (let s = 0; s < PLACES; s++) {
      const v = table[here + s] + table[before + s];
      if (v > top) top = v;
    }
  }
  if (cast === 0) return 0;
  const expected = cast * CHANCE_SHARE;
  return (top - expected) / Math.sqrt(expected + 1);
}

function centroid(points: MinutiaPoints): { cx: number; cy: number } {
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < points.count; i++) {
    cx += points.x[i];
    cy += points.y[i];
  }
  return points.count > 0 ? { cx: cx / points.count, cy: cy / points.count } : { cx: 0, cy: 0 };
}
