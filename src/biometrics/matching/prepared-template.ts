import { NO_RIDGES, type FingerprintTemplate, type OrientationMap } from '../template.ts';
import { cellOf } from './edge-index.ts';
import { nearestNeighbours } from './nearest-neighbours.ts';

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

const TYPE_CODE = { other: 0, ending: 1, bifurcation: 2 } as const;

export function prepareTemplate(template: FingerprintTemplate): PreparedTemplate {
  const count = Math.min(template.minutiae.length, 0xffff);
  const work = scratchFor(count);
  const x = work.x.subarray(0, count);
  const y = work.y.subarray(0, count);
  const angle = work.angle.subarray(0, count);
  let minX = count > 0 ? Infinity : 0;
  let maxX = count > 0 ? -Infinity : 0;
  let minY = count > 0 ? Infinity : 0;
  let maxY = count > 0 ? -Infinity : 0;
  for (let i = 0; i < count; i++) {
    const m = template.minutiae[i];
    x[i] = m.x;
    y[i] = m.y;
    angle[i] = normalize(m.angle);
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }

  const edges = nearestEdges(x, y, work);
  const { from, to, lengths, startAngles, endAngles } = work;
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
  const byLength = edgesByLength(lengths, edges, work);

  let gridColumns = 1;
  let gridRows = 1;
  for (let i = 0; i < count; i++) {
    gridColumns = Math.max(gridColumns, Math.floor((x[i] - minX) / GRID_CELL) + 1);
    gridRows = Math.max(gridRows, Math.floor((y[i] - minY) / GRID_CELL) + 1);
  }
  const map = template.orientation;
  const flows = map ? flowCount(map) : 0;
  const orientationLength = map ? map.angles.length : 0;

  // One buffer for every array (4-byte elements first, then 2, then 1, so each view is aligned): a
  // search prepares hundreds of gallery templates, and twenty allocations each cost more than the work.
  const cells = gridColumns * gridRows;
  const buffer = new ArrayBuffer(4 * (3 * count + 4 * edges + count + 1 + cells + 1 + 2 * flows) + 2 * (3 * edges + count) + count + orientationLength + flows);
  let offset = 0;
  const take = <T>(make: new (buffer: ArrayBuffer, offset: number, length: number) => T, bytes: number, length: number): T => {
    const view = new make(buffer, offset, length);
    offset += bytes * length;
    return view;
  };
  const prepared = {
    count,
    x: take(Float32Array, 4, count),
    y: take(Float32Array, 4, count),
    angle: take(Float32Array, 4, count),
    edgeLength: take(Float32Array, 4, edges),
    edgeStartAngle: take(Float32Array, 4, edges),
    edgeEndAngle: take(Float32Array, 4, edges),
    adjacencyStart: take(Uint32Array, 4, count + 1),
    adjacency: take(Uint32Array, 4, edges),
    gridColumns,
    gridRows,
    gridStart: take(Uint32Array, 4, cells + 1),
    flowX: take(Float32Array, 4, flows),
    flowY: take(Float32Array, 4, flows),
    edgeFrom: take(Uint16Array, 2, edges),
    edgeTo: take(Uint16Array, 2, edges),
    edgeCell: take(Uint16Array, 2, edges),
    gridEntries: take(Uint16Array, 2, count),
    type: take(Uint8Array, 1, count),
    orientationBlockSize: map?.blockSize ?? 0,
    orientationColumns: map?.columns ?? 0,
    orientationRows: map?.rows ?? 0,
    orientation: take(Uint8Array, 1, orientationLength),
    flowAngle: take(Uint8Array, 1, flows),
    minX,
    maxX,
    minY,
    maxY,
  };
  prepared.x.set(x);
  prepared.y.set(y);
  prepared.angle.set(angle);
  for (let i = 0; i < count; i++) prepared.type[i] = TYPE_CODE[template.minutiae[i].type];
  for (let k = 0; k < edges; k++) {
    const e = byLength[k];
    prepared.edgeFrom[k] = from[e];
    prepared.edgeTo[k] = to[e];
    prepared.edgeLength[k] = lengths[e];
    prepared.edgeStartAngle[k] = startAngles[e];
    prepared.edgeEndAngle[k] = endAngles[e];
    prepared.edgeCell[k] = cellOf(lengths[e], startAngles[e], endAngles[e]);
  }
  const { adjacencyStart, adjacency, edgeFrom } = prepared;
  for (let e = 0; e < edges; e++) adjacencyStart[edgeFrom[e] + 1]++;
  for (let i = 0; i < count; i++) adjacencyStart[i + 1] += adjacencyStart[i];
  const next = work.nextEdge;
  next.set(adjacencyStart.subarray(0, count));
  for (let e = 0; e < edges; e++) adjacency[next[edgeFrom[e]]++] = e;
  fillPositionGrid(prepared, work);
  if (map) {
    prepared.orientation.set(map.angles);
    fillFlowList(map, prepared);
  }
  return prepared;
}

/** Each minutia's NEIGHBOURS nearest (ties: the template's order) as directed edges i → j, numbered by i and then by nearness. */
function nearestEdges(x: Float32Array, y: Float32Array, work: Scratch): number {
  const count = x.length;
  const { nearest, found } = nearestNeighbours(x, y, count, NEIGHBOURS, MIN_EDGE_LENGTH, MAX_EDGE_LENGTH);
  const { from, to } = work;
  let edges = 0;
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < found[i]; k++) {
      from[edges] = i;
      to[edges++] = nearest[i * NEIGHBOURS + k];
    }
  }
  return edges;
}

/**
 * Edge numbers in order of length, ties in number order (a stable sort): counted into whole-pixel
 * buckets (edges are at most MAX_EDGE_LENGTH long), then each bucket's few put in order by insertion.
 */
function edgesByLength(lengths: Float32Array, edges: number, work: Scratch): Uint32Array {
  const { start, next, order } = work;
  start.fill(0);
  for (let e = 0; e < edges; e++) start[Math.floor(lengths[e]) + 1]++;
  for (let b = 0; b < LENGTH_BUCKETS; b++) start[b + 1] += start[b];
  next.set(start.subarray(0, LENGTH_BUCKETS));
  for (let e = 0; e < edges; e++) {
    const b = Math.floor(lengths[e]);
    const first = start[b];
    let place = next[b]++;
    while (place > first && lengths[order[place - 1]] > lengths[e]) {
      order[place] = order[place - 1];
      place--;
    }
    order[place] = e;
  }
  return order;
}

/** Whole-pixel buckets of edge length, for edgesByLength. */
const LENGTH_BUCKETS = MAX_EDGE_LENGTH + 2;

/** Working arrays of prepareTemplate, kept between calls (a thread prepares one template at a time); sized for `minutiae` (the length buckets and the grid cells aside). */
interface Scratch {
  minutiae: number;
  x: Float32Array;
  y: Float32Array;
  angle: Float32Array;
  from: Uint16Array;
  to: Uint16Array;
  lengths: Float32Array;
  startAngles: Float32Array;
  endAngles: Float32Array;
  /** Length buckets: where each starts, and where its next edge goes. */
  start: Uint32Array;
  next: Uint32Array;
  order: Uint32Array;
  /** Where each minutia's next edge goes in the adjacency lists. */
  nextEdge: Uint32Array;
  /** Where each position-grid cell's next minutia goes; grown for a larger grid. */
  nextInCell: Uint32Array;
}

let scratch = newScratch(0);

function newScratch(minutiae: number): Scratch {
  const edges = minutiae * NEIGHBOURS;
  return {
    minutiae,
    x: new Float32Array(minutiae),
    y: new Float32Array(minutiae),
    angle: new Float32Array(minutiae),
    from: new Uint16Array(edges),
    to: new Uint16Array(edges),
    lengths: new Float32Array(edges),
    startAngles: new Float32Array(edges),
    endAngles: new Float32Array(edges),
    start: new Uint32Array(LENGTH_BUCKETS + 1),
    next: new Uint32Array(LENGTH_BUCKETS),
    order: new Uint32Array(edges),
    nextEdge: new Uint32Array(minutiae),
    nextInCell: new Uint32Array(0),
  };
}

function scratchFor(minutiae: number): Scratch {
  if (minutiae > scratch.minutiae) scratch = newScratch(Math.max(minutiae, 2 * scratch.minutiae));
  return scratch;
}

/** Side of a position-grid cell, pixels: a lookup of radius up to half of it reads at most 2 × 2 cells. */
export const GRID_CELL = 24;

/** Fills the grid's cells (gridStart) and their minutiae (gridEntries); gridColumns and gridRows are set. */
function fillPositionGrid(grid: PreparedTemplate, work: Scratch): void {
  const { count, x, y, minX, minY, gridColumns, gridRows, gridStart, gridEntries } = grid;
  const cellOfMinutia = (i: number) => Math.floor((y[i] - minY) / GRID_CELL) * gridColumns + Math.floor((x[i] - minX) / GRID_CELL);
  for (let i = 0; i < count; i++) gridStart[cellOfMinutia(i) + 1]++;
  for (let c = 0; c < gridColumns * gridRows; c++) gridStart[c + 1] += gridStart[c];
  if (work.nextInCell.length < gridColumns * gridRows) work.nextInCell = new Uint32Array(2 * gridColumns * gridRows);
  const next = work.nextInCell;
  next.set(gridStart.subarray(0, gridColumns * gridRows));
  for (let i = 0; i < count; i++) gridEntries[next[cellOfMinutia(i)]++] = i;
}

/** Every other block of the map, as on a chequerboard (the mean agreement is as clear from half), without those with no ridges. */
function keptBlock(map: OrientationMap, r: number, c: number): boolean {
  return (r + c) % 2 === 0 && map.angles[r * map.columns + c] !== NO_RIDGES;
}

function flowCount(map: OrientationMap): number {
  let count = 0;
  for (let r = 0; r < map.rows; r++) for (let c = 0; c < map.columns; c++) if (keptBlock(map, r, c)) count++;
  return count;
}

/** The map's kept blocks as a list: centre x, y (pixels) and ridge angle, for a fast walk. */
function fillFlowList(map: OrientationMap, flow: { flowX: Float32Array; flowY: Float32Array; flowAngle: Uint8Array }): void {
  let k = 0;
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.columns; c++) {
      if (!keptBlock(map, r, c)) continue;
      flow.flowX[k] = (c + 0.5) * map.blockSize;
      flow.flowY[k] = (r + 0.5) * map.blockSize;
      flow.flowAngle[k++] = map.angles[r * map.columns + c];
    }
  }
}

export function isPreparedTemplate(value: unknown): value is PreparedTemplate {
  return typeof value === 'object' && value !== null && (value as PreparedTemplate).edgeLength instanceof Float32Array;
}

const TWO_PI = 2 * Math.PI;

export function normalize(angle: number): number {
  // Most angles are within a turn either way, where the remainder is the angle itself (and far cheaper).
  const a = angle > -TWO_PI && angle < TWO_PI ? angle : angle % TWO_PI;
  return a < 0 ? a + TWO_PI : a;
}
