import type { PreparedTemplate } from './prepared-template.ts';

/**
 * An index of a probe's edges by quantised geometry (length × start angle × end angle), with every
 * edge entered in all the cells its tolerance reaches. Looking up a candidate's edge is then a
 * single cell read instead of a scan: a comparison costs about one lookup per candidate edge.
 *
 * Built once per probe and cached, so a 1:N search pays for it once, not per candidate.
 */
export const LENGTH_TOLERANCE = 5;
export const LENGTH_TOLERANCE_RELATIVE = 0.07;
export const ANGLE_TOLERANCE = Math.PI / 10;

// Cells a little finer than the tolerances: an edge is entered in more cells (about 60), and a
// lookup finds fewer edges that then fail the exact check. 55,296 cells: a cell number fits 16 bits.
const LENGTH_BIN = 6;
const LENGTH_BINS = 54; // edges are at most 300 px long
const ANGLE_BINS = 32;
const CELLS = LENGTH_BINS * ANGLE_BINS * ANGLE_BINS;
const TWO_PI = 2 * Math.PI;

export interface EdgeIndex {
  /**
   * Probe edges in cell c: entries[cellStart[c] .. cellStart[c+1]). 16-bit when they fit (a print's
   * few hundred edges make about 20,000 entries): half the memory, so more of the table a
   * comparison reads at random stays in the processor's cache.
   */
  readonly cellStart: Uint16Array | Uint32Array;
  readonly entries: Uint16Array | Uint32Array;
}

const cache = new WeakMap<PreparedTemplate, EdgeIndex>();

export function edgeIndexOf(template: PreparedTemplate): EdgeIndex {
  let index = cache.get(template);
  if (!index) {
    index = buildEdgeIndex(template);
    cache.set(template, index);
  }
  return index;
}

export function cellOf(length: number, startAngle: number, endAngle: number): number {
  const l = Math.min(LENGTH_BINS - 1, (length / LENGTH_BIN) | 0);
  const s = ((startAngle / TWO_PI) * ANGLE_BINS) | 0;
  const e = ((endAngle / TWO_PI) * ANGLE_BINS) | 0;
  return (l * ANGLE_BINS + (s % ANGLE_BINS)) * ANGLE_BINS + (e % ANGLE_BINS);
}

function buildEdgeIndex(template: PreparedTemplate): EdgeIndex {
  // Each edge's box of cells (length, start-angle and end-angle bins its tolerance reaches), found
  // once and walked twice: to count each cell's entries, then to fill them in edge order.
  const edges = template.edgeLength.length;
  const box = new Int32Array(edges * 6);
  let total = 0;
  for (let edge = 0; edge < edges; edge++) {
    const length = template.edgeLength[edge];
    const tolerance = LENGTH_TOLERANCE + LENGTH_TOLERANCE_RELATIVE * length;
    const o = edge * 6;
    box[o] = Math.max(0, ((length - tolerance) / LENGTH_BIN) | 0);
    box[o + 1] = Math.min(LENGTH_BINS - 1, ((length + tolerance) / LENGTH_BIN) | 0);
    box[o + 2] = Math.floor(((template.edgeStartAngle[edge] - ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    box[o + 3] = Math.floor(((template.edgeStartAngle[edge] + ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    box[o + 4] = Math.floor(((template.edgeEndAngle[edge] - ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    box[o + 5] = Math.floor(((template.edgeEndAngle[edge] + ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    total += Math.max(0, box[o + 1] - box[o] + 1) * (box[o + 3] - box[o + 2] + 1) * (box[o + 5] - box[o + 4] + 1);
  }
  const cellStart = total <= 0xffff ? new Uint16Array(CELLS + 1) : new Uint32Array(CELLS + 1);
  const entries = edges <= 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
  for (let edge = 0; edge < edges; edge++) walkBox(box, edge, cellStart, undefined);
  // Counted into each cell's own place, summed up to it (its end), then filled from the end
  // backwards in reverse edge order, which leaves each cell's start there and edges ascending.
  for (let c = 1; c < CELLS; c++) cellStart[c] += cellStart[c - 1];
  cellStart[CELLS] = total;
  for (let edge = edges - 1; edge >= 0; edge--) walkBox(box, edge, cellStart, entries);
  return { cellStart, entries };
}

/** The cells of one edge's box: counted (no `entries`), or the edge entered before each cell's current start. */
function walkBox(box: Int32Array, edge: number, cellStart: Uint16Array | Uint32Array, entries: Uint16Array | Uint32Array | undefined): void {
  const o = edge * 6;
  for (let l = box[o]; l <= box[o + 1]; l++) {
    for (let s = box[o + 2]; s <= box[o + 3]; s++) {
      const sBin = (s + ANGLE_BINS) % ANGLE_BINS;
      for (let e = box[o + 4]; e <= box[o + 5]; e++) {
        const cell = (l * ANGLE_BINS + sBin) * ANGLE_BINS + ((e + ANGLE_BINS) % ANGLE_BINS);
        if (entries === undefined) cellStart[cell]++;
        else entries[--cellStart[cell]] = edge;
      }
    }
  }
}
