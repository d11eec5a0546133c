import { type BlockGrid, integralImage, windowSum } from './block-grid.ts';
import { scratch } from './scratch-arrays.ts';

/**
 * Ridge orientation per block from image gradients: the doubled-angle average of the gradient
 * directions over a window twice the block size, smoothed as a vector field so noise and scars
 * are bridged by their neighbours. Angles are in image coordinates (x right, y down), in [0, π):
 * the ridge runs along (cos θ, sin θ). Coherence (0–1) says how consistently oriented the
 * gradients are: near 1 on clear parallel ridges, near 0 on noise or background.
 */
export interface OrientationField {
  readonly grid: BlockGrid;
  readonly angle: Float32Array;
  readonly coherence: Float32Array;
  /** Mean gradient energy per block, a measure of ridge contrast. */
  readonly energy: Float32Array;
}

export function computeOrientationField(image: Float32Array, width: number, height: number, grid: BlockGrid): OrientationField {
  const n = width * height;
  const gxx = scratch('gradient xx', Float32Array, n);
  const gyy = scratch('gradient yy', Float32Array, n);
  const gxy = scratch('gradient xy', Float32Array, n);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      // Sobel gradients.
      const gx = image[i - width + 1] + 2 * image[i + 1] + image[i + width + 1] - image[i - width - 1] - 2 * image[i - 1] - image[i + width - 1];
      const gy = image[i + width - 1] + 2 * image[i + width] + image[i + width + 1] - image[i - width - 1] - 2 * image[i - width] - image[i - width + 1];
      gxx[i] = gx * gx;
      gyy[i] = gy * gy;
      gxy[i] = gx * gy;
    }
  }
  const tableSize = (width + 1) * (height + 1);
  const ixx = integralImage(gxx, width, height, scratch('gradient xx sums', Float64Array, tableSize));
  const iyy = integralImage(gyy, width, height, scratch('gradient yy sums', Float64Array, tableSize));
  const ixy = integralImage(gxy, width, height, scratch('gradient xy sums', Float64Array, tableSize));

  const blocks = grid.columns * grid.rows;
  const vx = new Float32Array(blocks); // doubled-angle vector, weighted by energy
  const vy = new Float32Array(blocks);
  const energy = new Float32Array(blocks);
  const s = grid.size;
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      const x0 = bx * s - s / 2;
      const y0 = by * s - s / 2;
      const x1 = x0 + 2 * s;
      const y1 = y0 + 2 * s;
      const sxx = windowSum(ixx, width, height, x0, y0, x1, y1);
      const syy = windowSum(iyy, width, height, x0, y0, x1, y1);
      const sxy = windowSum(ixy, width, height, x0, y0, x1, y1);
      const b = by * grid.columns + bx;
      vx[b] = sxx - syy;
      vy[b] = 2 * sxy;
      energy[b] = (sxx + syy) / (4 * s * s);
    }
  }

  // Smooth the doubled-angle field over 5×5 blocks (a 40 px neighbourhood).
  const angle = new Float32Array(blocks);
  const coherence = new Float32Array(blocks);
  const radius = 2;
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      let sx = 0;
      let sy = 0;
      let weight = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        const ny = by + dy;
        if (ny < 0 || ny >= grid.rows) continue;
        for (let dx = -radius; dx <= radius; dx++) {
          const nx = bx + dx;
          if (nx < 0 || nx >= grid.columns) continue;
          const k = ny * grid.columns + nx;
          const w = dx === 0 && dy === 0 ? 2 : 1;
          sx += w * vx[k];
          sy += w * vy[k];
          weight += w * (energy[k] * 4 * s * s);
        }
      }
      const b = by * grid.columns + bx;
      // Gradient direction is 0.5·atan2; ridges run perpendicular to it.
      let theta = 0.5 * Math.atan2(sy, sx) + Math.PI / 2;
      if (theta >= Math.PI) theta -= Math.PI;
      angle[b] = theta;
      coherence[b] = weight > 0 ? Math.hypot(sx, sy) / weight : 0;
    }
  }
  return { grid, angle, coherence, energy };
}
