/**
 * A coarse grid over the image: block (bx, by) covers pixels [bx·size, (bx+1)·size) ×
 * [by·size, (by+1)·size). Orientation, frequency and the foreground mask live on it.
 */
export interface BlockGrid {
  readonly size: number;
  readonly columns: number;
  readonly rows: number;
}

/** 8 px at 500 ppi: a little under one ridge period, fine enough to follow curving ridges. */
export const BLOCK_SIZE = 8;

export function blockGrid(width: number, height: number, size = BLOCK_SIZE): BlockGrid {
  return { size, columns: Math.ceil(width / size), rows: Math.ceil(height / size) };
}

/**
 * Summed-area table with one extra row and column of zeros, for O(1) window sums, written into
 * `table` (zeros, of (width + 1) × (height + 1)) when given. Of a Float32Array only: one element
 * type keeps the loop's reads monomorphic, and so fast.
 */
export function integralImage(values: Float32Array, width: number, height: number, table = new Float64Array((width + 1) * (height + 1))): Float64Array {
  const stride = width + 1;
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    for (let x = 0; x < width; x++) {
      rowSum += values[y * width + x];
      table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + rowSum;
    }
  }
  return table;
}

/** Sum over the window [x0, x1) × [y0, y1), clipped to the image. */
export function windowSum(table: Float64Array, width: number, height: number, x0: number, y0: number, x1: number, y1: number): number {
  const stride = width + 1;
  // Most windows lie inside the image: their corners need no clipping.
  if (x0 >= 0 && y0 >= 0 && x1 <= width && y1 <= height) return table[y1 * stride + x1] - table[y0 * stride + x1] - table[y1 * stride + x0] + table[y0 * stride + x0];
  const ax = Math.max(0, x0);
  const ay = Math.max(0, y0);
  const bx = Math.min(width, x1);
  const by = Math.min(height, y1);
  if (bx <= ax || by <= ay) return 0;
  return table[by * stride + bx] - table[ay * stride + bx] - table[by * stride + ax] + table[ay * stride + ax];
}
