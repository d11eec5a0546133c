import { neighbourCode, neighbours, transitions } from './thinning.ts';

/**
 * Finds ridge endings (one skeleton neighbour) and bifurcations (three separate branches) on the
 * skeleton, and traces their ridges a short way to measure direction and to learn what lies at
 * the other end (another minutia close by is the mark of a false one).
 */
export interface RawMinutia {
  x: number;
  y: number;
  /** Direction in image coordinates (x right, y down), radians. */
  direction: number;
  kind: 'ending' | 'bifurcation';
  /** Shortest traced branch and how it stopped: reaching its length, a junction or an ending. */
  shortestBranch: number;
  branchStop: 'length' | 'junction' | 'end';
}

const OFFSETS_X = [0, 1, 1, 1, 0, -1, -1, -1];
const OFFSETS_Y = [-1, -1, 0, 1, 1, 1, 0, -1];
const TRACE_STEPS = 14;

interface Trace {
  x: number;
  y: number;
  steps: number;
  stop: 'length' | 'junction' | 'end';
}

export function detectMinutiae(skeleton: Uint8Array, width: number, height: number, inside: (x: number, y: number) => boolean): RawMinutia[] {
  const found: RawMinutia[] = [];
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      const i = y * width + x;
      if (!skeleton[i] || !inside(x, y)) continue;
      const code = neighbourCode(skeleton, width, i);
      const count = neighbours(code);
      if (count === 1) {
        const trace = traceRidge(skeleton, width, height, x, y, [i]);
        if (trace.steps < 3) continue;
        found.push({
          x,
          y,
          direction: Math.atan2(trace.y - y, trace.x - x),
          kind: 'ending',
          shortestBranch: trace.steps,
          branchStop: trace.stop,
        });
      } else if (count >= 3 && transitions(code) === 3) {
        found.push(...bifurcationAt(skeleton, width, height, x, y, code));
      }
    }
  }
  return found;
}

function bifurcationAt(skeleton: Uint8Array, width: number, height: number, x: number, y: number, code: number): RawMinutia[] {
  // One start pixel per branch: each run of set neighbours around the pixel, 4-neighbour preferred.
  const starts: number[] = [];
  for (let k = 0; k < 8; k++) {
    const bit = 1 << k;
    const previousBit = 1 << ((k + 7) % 8);
    if (!(code & bit) || code & previousBit) continue;
    let chosen = k;
    for (let j = k; code & (1 << (j % 8)) && j < k + 8; j++) {
      if ((j % 8) % 2 === 0) {
        chosen = j % 8;
        break;
      }
    }
    starts.push((y + OFFSETS_Y[chosen]) * width + x + OFFSETS_X[chosen]);
  }
  if (starts.length !== 3) return [];
  const centre = y * width + x;
  const traces = starts.map((start) =>
    traceRidge(skeleton, width, height, start % width, Math.floor(start / width), [centre, ...starts.filter((s) => s !== start), start]),
  );
  const angles = traces.map((t) => Math.atan2(t.y - y, t.x - x));
  // The two branches forming the smallest angle enclose the valley the direction points into.
  let bestPair = [0, 1];
  let bestGap = Infinity;
  for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
    const gap = angleBetween(angles[a], angles[b]);
    if (gap < bestGap) {
      bestGap = gap;
      bestPair = [a, b];
    }
  }
  const direction = Math.atan2(Math.sin(angles[bestPair[0]]) + Math.sin(angles[bestPair[1]]), Math.cos(angles[bestPair[0]]) + Math.cos(angles[bestPair[1]]));
  let shortest = traces[0];
  for (const t of traces) if (t.steps < shortest.steps) shortest = t;
  return [{ x, y, direction, kind: 'bifurcation', shortestBranch: shortest.steps + 1, branchStop: shortest.stop }];
}

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}

/** Follows the skeleton from (x, y), never revisiting `path`, for up to TRACE_STEPS pixels. */
function traceRidge(skeleton: Uint8Array, width: number, height: number, x: number, y: number, path: number[]): Trace {
  let cx = x;
  let cy = y;
  for (let step = 0; step < TRACE_STEPS; step++) {
    let next = -1;
    let nextIsDiagonal = true;
    for (let k = 0; k < 8; k++) {
      const nx = cx + OFFSETS_X[k];
      const ny = cy + OFFSETS_Y[k];
      if (nx < 1 || ny < 1 || nx >= width - 1 || ny >= height - 1) continue;
      const n = ny * width + nx;
      if (!skeleton[n] || path.includes(n)) continue;
      const diagonal = k % 2 === 1;
      if (next < 0 || (nextIsDiagonal && !diagonal)) {
        next = n;
        nextIsDiagonal = diagonal;
      }
    }
    if (next < 0) return { x: cx, y: cy, steps: step, stop: 'end' };
    path.push(next);
    cx = next % width;
    cy = (next - cx) / width;
    if (transitions(neighbourCode(skeleton, width, next)) >= 3) {
      return { x: cx, y: cy, steps: step + 1, stop: 'junction' };
    }
  }
  return { x: cx, y: cy, steps: TRACE_STEPS, stop: 'length' };
}
