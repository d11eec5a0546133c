import type { BlockGrid } from './block-grid.ts';
import type { OrientationField } from './orientation-field.ts';

/**
 * Separates the print from the background, block by block. A block belongs to the print when its
 * gray levels vary (ridges and valleys) and that variation is oriented (ridges, not noise or
 * dirt). Thresholds are relative to the image's own contrast, so the same rule holds across
 * sensors. The mask is then cleaned: holes filled, specks removed, only the largest region kept.
 */
export interface ForegroundMask {
  readonly grid: BlockGrid;
  /** 1 for print blocks. */
  readonly blocks: Uint8Array;
  readonly foregroundBlocks: number;
}

export function segmentForeground(pixels: Uint8Array, width: number, height: number, field: OrientationField): ForegroundMask {
  const { grid } = field;
  const count = grid.columns * grid.rows;
  const deviation = blockDeviation(pixels, width, height, grid);

  const sorted = Float32Array.from(deviation).sort();
  const reference = sorted[Math.floor(sorted.length * 0.9)];
  const contrastThreshold = Math.max(6, 0.3 * reference);
  let blocks: Uint8Array = new Uint8Array(count);
  for (let b = 0; b < count; b++) blocks[b] = deviation[b] >= contrastThreshold && field.coherence[b] >= 0.15 ? 1 : 0;

  blocks = majority(blocks, grid, 2);
  blocks = largestRegion(blocks, grid);
  blocks = fillHoles(blocks, grid);
  let foregroundBlocks = 0;
  for (let b = 0; b < count; b++) foregroundBlocks += blocks[b];
  return { grid, blocks, foregroundBlocks };
}

function blockDeviation(pixels: Uint8Array, width: number, height: number, grid: BlockGrid): Float32Array {
  const out = new Float32Array(grid.columns * grid.rows);
  const s = grid.size;
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      // Window of two blocks so that a block always spans at least one ridge and one valley.
      const x0 = Math.max(0, bx * s - s / 2);
      const y0 = Math.max(0, by * s - s / 2);
      const x1 = Math.min(width, bx * s + s + s / 2);
      const y1 = Math.min(height, by * s + s + s / 2);
      let sum = 0;
      let sumSquares = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
          const v = pixels[y * width + x];
          sum += v;
          sumSquares += v * v;
        }
      }
      const n = (x1 - x0) * (y1 - y0);
      out[by * grid.columns + bx] = Math.sqrt(Math.max(0, sumSquares / n - (sum / n) ** 2));
    }
  }
  return out;
}

/** Majority vote over the (2r+1)² neighbourhood, to smooth ragged borders and isolated blocks. */
function majority(blocks: Uint8Array, grid: BlockGrid, radius: number): Uint8Array {
  const out = new Uint8Array(blocks.length);
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      let on = 0;
      let all = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) {
          const x = bx + dx;
          const y = by + dy;
          all++;
          if (x >= 0 && y >= 0 && x < grid.columns && y < grid.rows) on += blocks[y * grid.columns + x];
        }
      }
      out[by * grid.columns + bx] = on * 2 > all ? 1 : 0;
    }
  }
  return out;
}

function largestRegion(blocks: Uint8Array, grid: BlockGrid): Uint8Array {
  const label = new Int32Array(blocks.length).fill(-1);
  const stack: number[] = [];
  let best = -1;
  let bestSize = 0;
  for (let start = 0; start < blocks.length; start++) {
    if (!blocks[start] || label[start] >= 0) continue;
    let size = 0;
    stack.push(start);
    label[start] = start;
    while (stack.length > 0) {
      const b = stack.pop()!;
      size++;
      const x = b % grid.columns;
      const y = (b - x) / grid.columns;
      for (const [nx, ny] of [[x - 1, y], [x + 1, y], [x, y - 1], [x, y + 1]]) {
        if (nx < 0 || ny < 0 || nx >= grid.columns || ny >= grid.rows) continue;
        const n = ny * grid.columns + nx;
        if (blocks[n] && label[n] < 0) {
          label[n] = start;
          stack.push(n);
        }
      }
    }
    if (size > bestSize) {
      bestSize = size;
      best = start;
    }
  }
  const out = new Uint8Array(blocks.length);
  for (let b = 0; b < blocks.length; b++) out[b] = label[b] === best && best >= 0 ? 1 : 0;
  return out;
}

/** Background regions not connected to the image border are holes in the print: fill them. */
function fillHoles(blocks: Uint8Array, grid: BlockGrid): Uint8Array {
  const outside = new Uint8Array(blocks.length);
  const stack: number[] = [];
  const push = (x: number, y: number) => {
    const b = y * grid.columns + x;
    if (!blocks[b] && !outside[b]) {
      outside[b] = 1;
      stack.push(b);
    }
  };
  for (let x = 0; x < grid.columns; x++) {
    push(x, 0);
    push(x, grid.rows - 1);
  }
  for (let y = 0; y < grid.rows; y++) {
    push(0, y);
    push(grid.columns - 1, y);
  }
  while (stack.length > 0) {
    const b = stack.pop()!;
    const x = b % grid.columns;
    const y = (b - x) / grid.columns;
    if (x > 0) push(x - 1, y);
    if (x < grid.columns - 1) push(x + 1, y);
    if (y > 0) push(x, y - 1);
    if (y < grid.rows - 1) push(x, y + 1);
  }
  const out = new Uint8Array(blocks.length);
  for (let b = 0; b < blocks.length; b++) out[b] = outside[b] ? 0 : 1;
  return out;
}
