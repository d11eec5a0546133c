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
  const counts = new Uint32Array(CELLS + 1);
  const visit = (edge: number, emit: (cell: number) => void) => {
    const length = template.edgeLength[edge];
    const tolerance = LENGTH_TOLERANCE + LENGTH_TOLERANCE_RELATIVE * length;
    const l0 = Math.max(0, ((length - tolerance) / LENGTH_BIN) | 0);
    const l1 = Math.min(LENGTH_BINS - 1, ((length + tolerance) / LENGTH_BIN) | 0);
    const s0 = Math.floor(((template.edgeStartAngle[edge] - ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    const s1 = Math.floor(((template.edgeStartAngle[edge] + ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    const e0 = Math.floor(((template.edgeEndAngle[edge] - ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    const e1 = Math.floor(((template.edgeEndAngle[edge] + ANGLE_TOLERANCE) / TWO_PI) * ANGLE_BINS);
    for (let l = l0; l <= l1; l++) {
      for (let s = s0; s <= s1; s++) {
        const sBin = (s + ANGLE_BINS) % ANGLE_BINS;
        for (let e = e0; e <= e1; e++) emit((l * ANGLE_BINS + sBin) * ANGLE_BINS + ((e + ANGLE_BINS) % ANGLE_BINS));
      }
    }
  };
  const edges = template.edgeLength.length;
  for (let edge = 0; edge < edges; edge++) visit(edge, (cell) => counts[cell + 1]++);
  for (let c = 0; c < CELLS; c++) counts[c + 1] += counts[c];
  const entries = edges <= 0x10000 ? new Uint16Array(counts[CELLS]) : new Uint32Array(counts[CELLS]);
  const fill = counts.slice(0, CELLS);
  for (let edge = 0; edge < edges; edge++) visit(edge, (cell) => (entries[fill[cell]++] = edge));
  return { cellStart: counts[CELLS] <= 0xffff ? Uint16Array.from(counts) : counts, entries };
}
