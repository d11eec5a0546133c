import { NO_RIDGES, type FingerprintTemplate, type OrientationMap } from '../template.ts';
import { cellOf } from './edge-index.ts';

/**
 * A template arranged for fast comparison: minutiae as parallel typed arrays plus the edges
 * from each minutia to its nearest neighbours (length and the two angles each edge makes with
 * its end minutiae's directions). Edge geometry is invariant to rotation and translation, which
 * is what lets two impressions be matched without first aligning them.
 *
 * Only typed arrays and numbers: a prepared template is structured-cloned to worker threads.
 */
export interface PreparedTemplate {
  readonly count: number;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly angle: Float32Array;
  /** 0 other, 1 ending, 2 bifurcation. */
  readonly type: Uint8Array;
  /** Directed edges to each minutia's nearest neighbours: endpoints, length and relative angles. */
  readonly edgeFrom: Uint16Array;
  readonly edgeTo: Uint16Array;
  readonly edgeLength: Float32Array;
  readonly edgeStartAngle: Float32Array;
  readonly edgeEndAngle: Float32Array;
  /** Each edge's cell in the edge index (see edge-index.ts), computed once instead of per comparison. */
  readonly edgeCell: Uint16Array;
  /** Adjacency (CSR): the edges leaving minutia i are adjacency[adjacencyStart[i] .. adjacencyStart[i+1]). */
  readonly adjacencyStart: Uint32Array;
  readonly adjacency: Uint32Array;
  /**
   * Minutiae by position (CSR over a grid of GRID_CELL-pixel cells from (minX, minY)): minutiae in
   * cell (column c, row r) are gridEntries[gridStart[r * gridColumns + c] .. gridStart[... + 1]).
   */
  readonly gridColumns: number;
  readonly gridRows: number;
  readonly gridStart: Uint32Array;
  readonly gridEntries: Uint16Array;
  /** The template's orientation map (see template.ts), or blockSize 0 and no blocks when it has none. */
  readonly orientationBlockSize: number;
  readonly orientationColumns: number;
  readonly orientationRows: number;
  readonly orientation: Uint8Array;
  /** The map's print blocks as a list: centre x, y (pixels) and ridge angle (degrees), for a fast walk. */
  readonly flowX: Float32Array;
  readonly flowY: Float32Array;
  readonly flowAngle: Uint8Array;
  /** Bounding box of the minutiae: the region the print covers. */
  readonly minX: number;
  readonly maxX: number;
  readonly minY: number;
  readonly maxY: number;
}

/** Neighbours kept per minutia: enough for the edge graph to span the print, few enough to be fast. */
export const NEIGHBOURS = 7;
/** Edges longer than this (pixels at 500 ppi, ~1.5 cm) are too distorted between impressions to trust. */
const MAX_EDGE_LENGTH = 300;
/** Minutiae closer than this are usually one feature seen twice; their edges carry no geometry. */
const MIN_EDGE_LENGTH = 6;

/** Relative margin on squared distances, far above the square root's rounding error. */
const MARGIN = 1e-9;
const MAX_SQUARED = MAX_EDGE_LENGTH ** 2 * (1 + MARGIN);

const TYPE_CODE = { other: 0, ending: 1, bifurcation: 2 } as const;

export function prepareTemplate(template: FingerprintTemplate): PreparedTemplate {
  const count = Math.min(template.minutiae.length, 0xffff);
  const x = new Float32Array(count);
  const y = new Float32Array(count);
  const angle = new Float32Array(count);
  const type = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const m = template.minutiae[i];
    x[i] = m.x;
    y[i] = m.y;
    angle[i] = normalize(m.angle);
    type[i] = TYPE_CODE[m.type];
  }

  // k nearest neighbours of each minutia (directed edges i → j), by insertion into a short sorted
  // list: ties keep the template's order, as a stable sort would.
  const from: number[] = [];
  const to: number[] = [];
  const nearest = new Int32Array(NEIGHBOURS);
  const nearestDistance = new Float64Array(NEIGHBOURS);
  for (let i = 0; i < count; i++) {
    let found = 0;
    for (let j = 0; j < count; j++) {
      if (j === i) continue;
      // The squared distance rules most pairs out without a square root; the margin leaves every
      // borderline case to the root, so the result is the root's.
      const dx = x[j] - x[i];
      const dy = y[j] - y[i];
      const squared = dx * dx + dy * dy;
      if (squared > MAX_SQUARED || (found === NEIGHBOURS && squared > nearestDistance[NEIGHBOURS - 1] ** 2 * (1 + MARGIN))) continue;
      const d = Math.sqrt(squared);
      if (d < MIN_EDGE_LENGTH || d > MAX_EDGE_LENGTH) continue;
      if (found === NEIGHBOURS && d >= nearestDistance[NEIGHBOURS - 1]) continue;
      let at = found < NEIGHBOURS ? found++ : NEIGHBOURS - 1;
      while (at > 0 && nearestDistance[at - 1] > d) {
        nearestDistance[at] = nearestDistance[at - 1];
        nearest[at] = nearest[at - 1];
        at--;
      }
      nearestDistance[at] = d;
      nearest[at] = j;
    }
    for (let k = 0; k < found; k++) {
      from.push(i);
      to.push(nearest[k]);
    }
  }

  const edges = from.length;
  const lengths = new Float32Array(edges);
  const startAngles = new Float32Array(edges);
  const endAngles = new Float32Array(edges);
  for (let e = 0; e < edges; e++) {
    const i = from[e];
    const j = to[e];
    const dx = x[j] - x[i];
    const dy = y[j] - y[i];
    lengths[e] = Math.sqrt(dx * dx + dy * dy);
    // Image y points down; template angles are counter-clockwise as seen, hence −dy.
    const direction = Math.atan2(-dy, dx);
    startAngles[e] = normalize(direction - angle[i]);
    endAngles[e] = normalize(direction - angle[j]);
  }
  const byLength = edgesByLength(lengths);
  // Plain loops: typed arrays' `from` with a mapping function is several times slower.
  const edgeFrom = new Uint16Array(edges);
  const edgeTo = new Uint16Array(edges);
  const edgeLength = new Float32Array(edges);
  const edgeStartAngle = new Float32Array(edges);
  const edgeEndAngle = new Float32Array(edges);
  const edgeCell = new Uint16Array(edges);
  for (let k = 0; k < edges; k++) {
    const e = byLength[k];
    edgeFrom[k] = from[e];
    edgeTo[k] = to[e];
    edgeLength[k] = lengths[e];
    edgeStartAngle[k] = startAngles[e];
    edgeEndAngle[k] = endAngles[e];
    edgeCell[k] = cellOf(lengths[e], startAngles[e], endAngles[e]);
  }

  let minX = count > 0 ? Infinity : 0;
  let maxX = count > 0 ? -Infinity : 0;
  let minY = count > 0 ? Infinity : 0;
  let maxY = count > 0 ? -Infinity : 0;
  for (let i = 0; i < count; i++) {
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  const grid = positionGrid(x, y, minX, minY);
  const prepared = {
    count,
    x,
    y,
    angle,
    type,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgeStartAngle,
    edgeEndAngle,
    edgeCell,
    adjacencyStart: new Uint32Array(count + 1),
    adjacency: new Uint32Array(edges),
    ...grid,
    orientationBlockSize: template.orientation?.blockSize ?? 0,
    orientationColumns: template.orientation?.columns ?? 0,
    orientationRows: template.orientation?.rows ?? 0,
    orientation: template.orientation ? template.orientation.angles.slice() : new Uint8Array(0),
    ...flowList(template.orientation),
    minX,
    maxX,
    minY,
    maxY,
  };
  for (let e = 0; e < edges; e++) prepared.adjacencyStart[prepared.edgeFrom[e] + 1]++;
  for (let i = 0; i < count; i++) prepared.adjacencyStart[i + 1] += prepared.adjacencyStart[i];
  const fill = prepared.adjacencyStart.slice(0, count);
  for (let e = 0; e < edges; e++) prepared.adjacency[fill[prepared.edgeFrom[e]]++] = e;
  return prepared;
}

/** 2⁻⁴⁴: an edge's number times this is below half the float32 spacing of any edge length (≥ 4 px), and exact beside it in a double (lengths < 512 px). */
const EDGE_NUMBER_SCALE = 2 ** -44;

/**
 * Edge numbers in order of length, ties in number order (a stable sort). Each key is the edge's
 * float32 length with its number in the bits below, so one native sort of doubles does it, several
 * times faster than sorting numbers with a comparison function.
 */
function edgesByLength(lengths: Float32Array): Uint32Array {
  const keys = new Float64Array(lengths.length);
  for (let e = 0; e < lengths.length; e++) keys[e] = lengths[e] + e * EDGE_NUMBER_SCALE;
  keys.sort();
  const order = new Uint32Array(lengths.length);
  for (let k = 0; k < keys.length; k++) order[k] = Math.round((keys[k] - Math.fround(keys[k])) / EDGE_NUMBER_SCALE);
  return order;
}

/** Side of a position-grid cell, pixels: a lookup of radius up to half of it reads at most 2 × 2 cells. */
export const GRID_CELL = 24;

function positionGrid(x: Float32Array, y: Float32Array, minX: number, minY: number) {
  const count = x.length;
  let gridColumns = 1;
  let gridRows = 1;
  for (let i = 0; i < count; i++) {
    gridColumns = Math.max(gridColumns, Math.floor((x[i] - minX) / GRID_CELL) + 1);
    gridRows = Math.max(gridRows, Math.floor((y[i] - minY) / GRID_CELL) + 1);
  }
  const cellOfMinutia = (i: number) => Math.floor((y[i] - minY) / GRID_CELL) * gridColumns + Math.floor((x[i] - minX) / GRID_CELL);
  const gridStart = new Uint32Array(gridColumns * gridRows + 1);
  for (let i = 0; i < count; i++) gridStart[cellOfMinutia(i) + 1]++;
  for (let c = 0; c < gridColumns * gridRows; c++) gridStart[c + 1] += gridStart[c];
  const fill = gridStart.slice(0, gridColumns * gridRows);
  const gridEntries = new Uint16Array(count);
  for (let i = 0; i < count; i++) gridEntries[fill[cellOfMinutia(i)]++] = i;
  return { gridColumns, gridRows, gridStart, gridEntries };
}

function flowList(map: OrientationMap | undefined) {
  const xs: number[] = [];
  const ys: number[] = [];
  const angles: number[] = [];
  if (map) {
    for (let r = 0; r < map.rows; r++) {
      for (let c = 0; c < map.columns; c++) {
        const angle = map.angles[r * map.columns + c];
        // Every other block, as on a chequerboard: the mean agreement is as clear from half.
        if (angle === NO_RIDGES || (r + c) % 2 === 1) continue;
        xs.push((c + 0.5) * map.blockSize);
        ys.push((r + 0.5) * map.blockSize);
        angles.push(angle);
      }
    }
  }
  return { flowX: Float32Array.from(xs), flowY: Float32Array.from(ys), flowAngle: Uint8Array.from(angles) };
}

export function isPreparedTemplate(value: unknown): value is PreparedTemplate {
  return typeof value === 'object' && value !== null && (value as PreparedTemplate).edgeLength instanceof Float32Array;
}

const TWO_PI = 2 * Math.PI;

export function normalize(angle: number): number {
  const a = angle % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}
