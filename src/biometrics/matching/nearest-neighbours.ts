/** Relative margin on squared distances, far above the rounding error of a square root or of squaring one. */
const MARGIN = 1e-9;

/** Each point's nearest others: `nearest[i * k + n]` for n < `found[i]`, nearest first. Valid until the next call. */
export interface Neighbours {
  readonly nearest: Int32Array;
  readonly found: Uint8Array;
}

/** Working arrays, kept between calls (a thread finds one template's neighbours at a time). */
let scratch = newScratch(0, 0);

function newScratch(points: number, k: number) {
  return { points, k, byX: new Int32Array(points), nearest: new Int32Array(points * k), found: new Uint8Array(points), distances: new Float64Array(k) };
}

/**
 * Each of `count` points' `k` nearest others at a distance from `least` to `most` (inclusive),
 * nearest first, ties by the lower index, so the neighbours do not depend on the order they are met
 * in. Walks out both ways along x from each point and stops where x alone puts every point further
 * along too far, so a point measures a few dozen distances, not all of them. Distances compare as
 * their square roots; squared distances only rule points out, with a margin that leaves every
 * borderline case to the root.
 */
export function nearestNeighbours(x: ArrayLike<number>, y: ArrayLike<number>, count: number, k: number, least: number, most: number): Neighbours {
  if (count > scratch.points || k > scratch.k) scratch = newScratch(count > scratch.points ? Math.max(count, 2 * scratch.points) : scratch.points, Math.max(k, scratch.k));
  const { byX, distances } = scratch;
  const nearest = scratch.nearest.subarray(0, count * k);
  const found = scratch.found.subarray(0, count);
  const mostSquared = most * most * (1 + MARGIN);
  // In order of x (ties: by index), by insertion: a template has a few dozen minutiae.
  for (let i = 0; i < count; i++) {
    let place = i;
    while (place > 0 && x[byX[place - 1]] > x[i]) byX[place] = byX[--place];
    byX[place] = i;
  }
  for (let at = 0; at < count; at++) {
    const i = byX[at];
    const list = i * k;
    let n = 0;
    for (let step = -1; step <= 1; step += 2) {
      for (let other = at + step; other >= 0 && other < count; other += step) {
        const j = byX[other];
        const dx = x[j] - x[i];
        const bound = n === k ? distances[k - 1] * distances[k - 1] * (1 + MARGIN) : mostSquared;
        if (dx * dx > bound) break;
        const dy = y[j] - y[i];
        const squared = dx * dx + dy * dy;
        if (squared > bound) continue;
        const d = Math.sqrt(squared);
        if (d < least || d > most) continue;
        if (n === k && (d > distances[k - 1] || (d === distances[k - 1] && j > nearest[list + k - 1]))) continue;
        let place = n < k ? n++ : k - 1;
        while (place > 0 && (distances[place - 1] > d || (distances[place - 1] === d && nearest[list + place - 1] > j))) {
          distances[place] = distances[place - 1];
          nearest[list + place] = nearest[list + place - 1];
          place--;
        }
        distances[place] = d;
        nearest[list + place] = j;
      }
    }
    found[i] = n;
  }
  return { nearest, found };
}
