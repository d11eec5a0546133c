import type { Minutia } from '../template.ts';
import { nearestNeighbours } from './nearest-neighbours.ts';

/** Minutiae as parallel arrays (a prepared template has this shape): positions in pixels, angles in radians. */
export interface MinutiaPoints {
  readonly count: number;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly angle: ArrayLike<number>;
}

export function pointsOf(minutiae: readonly Minutia[]): MinutiaPoints {
  return { count: minutiae.length, x: minutiae.map((m) => m.x), y: minutiae.map((m) => m.y), angle: minutiae.map((m) => m.angle) };
}

/**
 * Minutia pairs as the search index keys them: each minutia with its nearest neighbours, the pair
 * described by what survives any rotation and translation of the print — its length and the
 * angles the two minutiae make with the line joining them — quantised into a cell, plus the
 * line's direction on the print, from which two pairs that agree imply a rotation of one print
 * onto the other.
 *
 * A pair is kept once, in the order its minutiae come in the template; a probe looks its pairs up
 * both ways round (see `probePairs`), so the gallery holds half as many entries.
 */

/** Neighbours each minutia pairs with: enough that most pairs survive a missed or invented minutia. */
export const PAIR_NEIGHBOURS = 6;
/** Pairs longer than this (pixels at 500 ppi) bend too much with the skin to keep their length. */
const MAX_PAIR_LENGTH = 120;
/** Shorter than this, two minutiae are usually one seen twice, and their line has no direction. */
const MIN_PAIR_LENGTH = 6;

/**
 * Cell sizes. Along each feature a probe reads the two nearest cells, so a pair is found when it
 * differs by less than half a cell (2 px, 5.6°) and often up to a cell and a half; a long pair reads
 * three along its length (see LONG_PAIR), and a wide reach three along each angle (see Reach). The
 * finer the cells, the smaller the share of the index one search reads.
 */
export const LENGTH_BIN = 4;
export const LENGTH_BINS = Math.ceil(MAX_PAIR_LENGTH / LENGTH_BIN);
export const ANGLE_BINS = 32;
export const CELLS = LENGTH_BINS * ANGLE_BINS * ANGLE_BINS;
/**
 * Pairs at least this long (pixels) are looked for a whole length cell either way: the few percent
 * the skin stretches or presses between impressions moves them by more than the half cell that
 * covers where a short pair's minutiae were found.
 */
const LONG_PAIR = 32;
/** Cells one probe pair reads, at most: 3 along the length, 3 × 3 along the angles (see Reach). */
export const MAX_PROBE_CELLS = 27;
/**
 * How far along the two angles a probe pair reads: `near`, its own cell and the neighbour on the
 * side it lies nearer to; `wide`, both neighbours, so that a gallery pair turned by up to a whole
 * cell (11.25°) either way is always found, at 2.25 times the reads. Between two impressions of
 * one finger, a shared pair's angles differ by more than half a cell in nearly half the pairs and
 * by more than a cell in about one in five (README, Gallery at scale).
 */
export type Reach = 'near' | 'wide';
/** A pair's direction on the print, in 64ths of a turn. */
export const DIRECTIONS = 64;

const TWO_PI = 2 * Math.PI;

/** A template's pairs: continuous features (length, the two relative angles as fractions of a turn) and direction. */
export interface Pairs {
  readonly count: number;
  readonly length: Float32Array;
  readonly startTurn: Float32Array;
  readonly endTurn: Float32Array;
  /** Direction of the line from the first minutia to the second, in fractions of a turn [0, 1). */
  readonly direction: Float32Array;
  /** The pair's two minutiae, as indexes into the template's minutiae. */
  readonly first: Uint16Array;
  readonly second: Uint16Array;
}

export function minutiaPairs(points: MinutiaPoints): Pairs {
  const { count: n, x, y } = points;
  const neighbours = PAIR_NEIGHBOURS;
  const { taken, firsts, seconds } = scratchFor(n);
  const { nearest, found } = nearestNeighbours(x, y, n, neighbours, MIN_PAIR_LENGTH, MAX_PAIR_LENGTH);
  // Each pair once, in the template's order.
  taken.fill(0, 0, n * n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < found[i]; k++) {
      const a = Math.min(i, nearest[i * neighbours + k]);
      const b = Math.max(i, nearest[i * neighbours + k]);
      if (taken[a * n + b]) continue;
      taken[a * n + b] = 1;
      firsts[count] = a;
      seconds[count++] = b;
    }
  }
  // One buffer for the features and one for the minutiae: a gallery's load makes a million fingers' pairs.
  const features = new Float32Array(4 * count);
  const ends = new Uint16Array(2 * count);
  ends.set(firsts.subarray(0, count));
  ends.set(seconds.subarray(0, count), count);
  const pairs = {
    count,
    length: features.subarray(0, count),
    startTurn: features.subarray(count, 2 * count),
    endTurn: features.subarray(2 * count, 3 * count),
    direction: features.subarray(3 * count),
    first: ends.subarray(0, count),
    second: ends.subarray(count),
  };
  for (let p = 0; p < count; p++) describePair(points, firsts[p], seconds[p], features, p, count);
  return pairs;
}

/**
 * The features of the pair of minutiae `a` and `b`, written to `into` at `at`, `at + stride`,
 * `at + 2 × stride` and `at + 3 × stride`: its length, the two minutiae's angles to its line and
 * the line's direction, as fractions of a turn. As 32-bit floats, as the index files them.
 */
export function describePair(points: MinutiaPoints, a: number, b: number, into: Float32Array, at: number, stride: number): void {
  const { x, y, angle } = points;
  const dx = x[b] - x[a];
  const dy = y[b] - y[a];
  // Image y points down; template angles are counter-clockwise as seen, hence −dy.
  const direction = Math.atan2(-dy, dx);
  into[at] = Math.sqrt(dx * dx + dy * dy);
  into[at + stride] = turns(angle[a] - direction);
  into[at + 2 * stride] = turns(angle[b] - direction);
  into[at + 3 * stride] = turns(direction);
}

/** Working arrays for minutiaPairs, kept between calls (a thread makes one template's pairs at a time). */
let scratch = newScratch(0);

function newScratch(n: number) {
  return {
    n,
    taken: new Uint8Array(n * n),
    firsts: new Uint16Array(n * PAIR_NEIGHBOURS),
    seconds: new Uint16Array(n * PAIR_NEIGHBOURS),
  };
}

function scratchFor(n: number) {
  if (n > scratch.n) scratch = newScratch(Math.max(n, 2 * scratch.n));
  return scratch;
}

/** The single cell a gallery pair is filed under. */
export function cellOf(length: number, startTurn: number, endTurn: number): number {
  const l = Math.min(LENGTH_BINS - 1, Math.floor(length / LENGTH_BIN));
  const s = Math.floor(startTurn * ANGLE_BINS) % ANGLE_BINS;
  const e = Math.floor(endTurn * ANGLE_BINS) % ANGLE_BINS;
  return (l * ANGLE_BINS + s) * ANGLE_BINS + e;
}

/**
 * The cells to read for one probe pair: along each feature, its own cell and the neighbouring one
 * on the side it lies nearer to (2 × 2 × 2 cells), so a gallery pair that differs by less than
 * half a cell is always found, and one that differs by up to a cell and a half often is; a long
 * pair reads the neighbouring length cells on both sides, and a `wide` reach both neighbours
 * along each angle.
 */
export function probeCells(length: number, startTurn: number, endTurn: number, into: Int32Array, reach: Reach): number {
  const lf = length / LENGTH_BIN;
  const l0 = Math.min(LENGTH_BINS - 1, Math.floor(lf));
  const near = lf - l0 < 0.5 ? l0 - 1 : l0 + 1;
  // Its own cell first: a pair votes once per finger, with the weight of the first cell that finds it.
  const lengths = length >= LONG_PAIR ? [l0, near, 2 * l0 - near] : [l0, near];
  const starts = angleCells(startTurn, reach);
  const ends = angleCells(endTurn, reach);
  let count = 0;
  for (const l of lengths) {
    if (l < 0 || l >= LENGTH_BINS) continue;
    for (const s of starts) for (const e of ends) into[count++] = (l * ANGLE_BINS + s) * ANGLE_BINS + e;
  }
  return count;
}

/** How far a shift vote (shift-votes.ts) reads along the length (cells either way) and along each angle. */
const REVOTE_LENGTH_REACH = 1;
const REVOTE_ANGLE_REACH = 2;
/** Cells a shift vote reads for one probe pair, at most. */
export const REVOTE_CELLS = (2 * REVOTE_LENGTH_REACH + 1) * (2 * REVOTE_ANGLE_REACH + 1) ** 2;

/**
 * The cells a shift vote (shift-votes.ts) reads for one probe pair: every cell within a length cell
 * and two angle cells of its own, so that a pair the skin has stretched or bent by twice what a wide
 * read tolerates is still found. It can afford what the index's vote cannot: it counts for a few
 * thousand fingers, not for all, and its votes must also agree on where the finger lies, which
 * chance agreements of so loose a reading seldom do.
 */
export function revoteCells(length: number, startTurn: number, endTurn: number, into: Int32Array): number {
  const l0 = Math.min(LENGTH_BINS - 1, Math.floor(length / LENGTH_BIN));
  const s0 = Math.floor(startTurn * ANGLE_BINS) % ANGLE_BINS;
  const e0 = Math.floor(endTurn * ANGLE_BINS) % ANGLE_BINS;
  let count = 0;
  for (let l = l0 - REVOTE_LENGTH_REACH; l <= l0 + REVOTE_LENGTH_REACH; l++) {
    if (l < 0 || l >= LENGTH_BINS) continue;
    for (let ds = -REVOTE_ANGLE_REACH; ds <= REVOTE_ANGLE_REACH; ds++) {
      const s = (s0 + ds + ANGLE_BINS) % ANGLE_BINS;
      for (let de = -REVOTE_ANGLE_REACH; de <= REVOTE_ANGLE_REACH; de++) into[count++] = (l * ANGLE_BINS + s) * ANGLE_BINS + ((e0 + de + ANGLE_BINS) % ANGLE_BINS);
    }
  }
  return count;
}

/** The angle cells a probe reads along one angle: its own first, then the nearer neighbour, then (wide) the farther. */
function angleCells(turn: number, reach: Reach): number[] {
  const f = turn * ANGLE_BINS;
  const own = Math.floor(f) % ANGLE_BINS;
  const below = (own + ANGLE_BINS - 1) % ANGLE_BINS;
  const above = (own + 1) % ANGLE_BINS;
  const [nearer, farther] = f - Math.floor(f) < 0.5 ? [below, above] : [above, below];
  return reach === 'wide' ? [own, nearer, farther] : [own, nearer];
}

/** A pair is kept once (see minutiaPairs), so a probe reads each of its pairs both ways round. */
export const WAYS = [0, 1] as const;

/** Pair `p`'s start angle, end angle and direction read from its first minutia to its second (way 0), or from its second to its first (way 1). */
export function pairWay(pairs: Pairs, p: number, way: 0 | 1): [number, number, number] {
  const { startTurn, endTurn, direction } = pairs;
  return way === 0 ? [startTurn[p], endTurn[p], direction[p]] : [turns01(endTurn[p] + 0.5), turns01(startTurn[p] + 0.5), turns01(direction[p] + 0.5)];
}

function turns(angle: number): number {
  return turns01(angle / TWO_PI);
}

function turns01(t: number): number {
  const f = t - Math.floor(t);
  return f >= 1 ? 0 : f;
}
