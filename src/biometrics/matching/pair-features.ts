import type { Minutia } from '../template.ts';

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
 * Cell sizes. A probe reads the two nearest cells along each feature, so a pair is found when it
 * differs by less than half a cell (2 px, 5.6°) and often up to a cell and a half; the finer the
 * cells, the smaller the share of the index one search reads (with 30,720 cells, about a fifth).
 */
export const LENGTH_BIN = 4;
export const LENGTH_BINS = Math.ceil(MAX_PAIR_LENGTH / LENGTH_BIN);
export const ANGLE_BINS = 32;
export const CELLS = LENGTH_BINS * ANGLE_BINS * ANGLE_BINS;
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

export function minutiaPairs(points: MinutiaPoints, neighbours = PAIR_NEIGHBOURS): Pairs {
  const { count: n, x, y, angle } = points;
  const taken = new Uint8Array(n * n);
  const firsts: number[] = [];
  const seconds: number[] = [];
  // Each minutia's nearest neighbours by insertion into a short sorted list: ties keep the
  // template's order, as a stable sort would.
  const nearest = new Int32Array(neighbours);
  const nearestSquared = new Float64Array(neighbours);
  const least = MIN_PAIR_LENGTH * MIN_PAIR_LENGTH;
  const most = MAX_PAIR_LENGTH * MAX_PAIR_LENGTH;
  for (let i = 0; i < n; i++) {
    let found = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      const squared = dx * dx + dy * dy;
      if (squared < least || squared >= most) continue;
      if (found === neighbours && squared >= nearestSquared[neighbours - 1]) continue;
      let at = found < neighbours ? found++ : neighbours - 1;
      while (at > 0 && nearestSquared[at - 1] > squared) {
        nearestSquared[at] = nearestSquared[at - 1];
        nearest[at] = nearest[at - 1];
        at--;
      }
      nearestSquared[at] = squared;
      nearest[at] = j;
    }
    for (let k = 0; k < found; k++) {
      const a = Math.min(i, nearest[k]);
      const b = Math.max(i, nearest[k]);
      if (taken[a * n + b]) continue;
      taken[a * n + b] = 1;
      firsts.push(a);
      seconds.push(b);
    }
  }
  const count = firsts.length;
  const pairs = {
    count,
    length: new Float32Array(count),
    startTurn: new Float32Array(count),
    endTurn: new Float32Array(count),
    direction: new Float32Array(count),
    first: Uint16Array.from(firsts),
    second: Uint16Array.from(seconds),
  };
  for (let p = 0; p < count; p++) {
    const a = firsts[p];
    const b = seconds[p];
    // Image y points down; template angles are counter-clockwise as seen, hence −dy.
    const direction = Math.atan2(-(y[b] - y[a]), x[b] - x[a]);
    pairs.length[p] = Math.hypot(x[b] - x[a], y[b] - y[a]);
    pairs.startTurn[p] = turns(angle[a] - direction);
    pairs.endTurn[p] = turns(angle[b] - direction);
    pairs.direction[p] = turns(direction);
  }
  return pairs;
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
 * half a cell is always found, and one that differs by up to a cell and a half often is.
 */
export function probeCells(length: number, startTurn: number, endTurn: number, into: Int32Array): number {
  const lf = length / LENGTH_BIN;
  const l0 = Math.min(LENGTH_BINS - 1, Math.floor(lf));
  const l1 = lf - l0 < 0.5 ? l0 - 1 : l0 + 1;
  const sf = startTurn * ANGLE_BINS;
  const s0 = Math.floor(sf) % ANGLE_BINS;
  const s1 = (sf - Math.floor(sf) < 0.5 ? s0 + ANGLE_BINS - 1 : s0 + 1) % ANGLE_BINS;
  const ef = endTurn * ANGLE_BINS;
  const e0 = Math.floor(ef) % ANGLE_BINS;
  const e1 = (ef - Math.floor(ef) < 0.5 ? e0 + ANGLE_BINS - 1 : e0 + 1) % ANGLE_BINS;
  let count = 0;
  for (const l of [l0, l1]) {
    if (l < 0 || l >= LENGTH_BINS) continue;
    for (const s of [s0, s1]) for (const e of [e0, e1]) into[count++] = (l * ANGLE_BINS + s) * ANGLE_BINS + e;
  }
  return count;
}

/** The same pair read from its second minutia to its first. */
export function reversed(startTurn: number, endTurn: number, direction: number): [number, number, number] {
  return [turns01(endTurn + 0.5), turns01(startTurn + 0.5), turns01(direction + 0.5)];
}

function turns(angle: number): number {
  return turns01(angle / TWO_PI);
}

function turns01(t: number): number {
  const f = t - Math.floor(t);
  return f >= 1 ? 0 : f;
}
