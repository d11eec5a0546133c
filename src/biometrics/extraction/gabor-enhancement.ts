import type { OrientationField } from './orientation-field.ts';
import type { ForegroundMask } from './segmentation.ts';
import { MAX_PERIOD, MIN_PERIOD } from './ridge-frequency.ts';

/**
 * Contextual enhancement with oriented Gabor filters: at each print pixel, a filter tuned to the
 * local ridge orientation and period smooths along the ridge (joining breaks, erasing pores and
 * scratches) and resonates across it (separating ridges that touch). Kernels are precomputed for
 * quantised orientations and periods. Output: positive on ridges, negative in valleys, 0 outside
 * the print.
 */
const ORIENTATIONS = 16;
const PERIOD_STEP = 1;
const RADIUS = 6;
const SIDE = 2 * RADIUS + 1;
const SIGMA_ALONG = 5;
/**
 * The envelope across the ridges, as a share of the local period: a quarter covers the ridge at
 * hand and the valleys beside it. A wider one reaches the neighbouring ridges and averages them, and where they differ (merged by wet skin,
 * broken by dry skin, spaced unevenly by distortion) it paints the average over them; a narrower
 * one follows the ridge at hand and tolerates a wrong period estimate better (wider bandwidth).
 */
const SIGMA_ACROSS_PER_PERIOD = 0.25;

const periodsCount = Math.round((MAX_PERIOD - MIN_PERIOD) / PERIOD_STEP) + 1;
const kernels: Float32Array[] = buildKernels();

function kernelIndex(angle: number, period: number): number {
  const o = Math.round((angle / Math.PI) * ORIENTATIONS) % ORIENTATIONS;
  const p = Math.min(periodsCount - 1, Math.max(0, Math.round((period - MIN_PERIOD) / PERIOD_STEP)));
  return o * periodsCount + p;
}

function buildKernels(): Float32Array[] {
  const list: Float32Array[] = [];
  for (let o = 0; o < ORIENTATIONS; o++) {
    const theta = (o / ORIENTATIONS) * Math.PI;
    const ux = Math.cos(theta);
    const uy = Math.sin(theta);
    for (let p = 0; p < periodsCount; p++) {
      const period = MIN_PERIOD + p * PERIOD_STEP;
      const sigmaAcross = SIGMA_ACROSS_PER_PERIOD * period;
      const kernel = new Float32Array(SIDE * SIDE);
      let sum = 0;
      for (let y = -RADIUS; y <= RADIUS; y++) {
        for (let x = -RADIUS; x <= RADIUS; x++) {
          const along = x * ux + y * uy;
          const across = -x * uy + y * ux;
          const value =
            Math.exp(-0.5 * ((along * along) / (SIGMA_ALONG * SIGMA_ALONG) + (across * across) / (sigmaAcross * sigmaAcross))) *
            Math.cos((2 * Math.PI * across) / period);
          kernel[(y + RADIUS) * SIDE + x + RADIUS] = value;
          sum += value;
        }
      }
      // Zero mean: a uniform area gives no response, whatever its brightness.
      const mean = sum / kernel.length;
      for (let k = 0; k < kernel.length; k++) kernel[k] -= mean;
      list.push(kernel);
    }
  }
  return list;
}

export function enhanceRidges(
  image: Float32Array,
  width: number,
  height: number,
  field: OrientationField,
  period: Float32Array,
  mask: ForegroundMask,
): Float32Array {
  const { grid } = field;
  const out = new Float32Array(width * height);
  const sums = new Float64Array(grid.size * grid.size);
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      const b = by * grid.columns + bx;
      if (!mask.blocks[b]) continue;
      const kernel = kernels[kernelIndex(field.angle[b], period[b])];
      const x0 = bx * grid.size;
      const y0 = by * grid.size;
      const x1 = Math.min(width, x0 + grid.size);
      const y1 = Math.min(height, y0 + grid.size);
      if (SIDE === 13 && x0 >= RADIUS && y0 >= RADIUS && x1 <= width - RADIUS && y1 <= height - RADIUS) filterInside(image, width, kernel, x0, y0, x1, y1, sums, out);
      else filterPlainly(image, width, height, kernel, x0, y0, x1, y1, out);
    }
  }
  return out;
}

/**
 * One block whose filter window lies inside the image, for kernels 13 wide (others take the plain
 * loop). Kernel row by kernel row, its 13 weights held in locals across the block's pixels; each
 * pixel's terms are still added in the kernel's order, so the sums are the plain loop's, to the bit.
 */
function filterInside(image: Float32Array, width: number, kernel: Float32Array, x0: number, y0: number, x1: number, y1: number, sums: Float64Array, out: Float32Array): void {
  const columns = x1 - x0;
  sums.fill(0);
  for (let ky = 0; ky < SIDE; ky++) {
    const r = ky * SIDE;
    const k0 = kernel[r], k1 = kernel[r + 1], k2 = kernel[r + 2], k3 = kernel[r + 3], k4 = kernel[r + 4], k5 = kernel[r + 5], k6 = kernel[r + 6];
    const k7 = kernel[r + 7], k8 = kernel[r + 8], k9 = kernel[r + 9], k10 = kernel[r + 10], k11 = kernel[r + 11], k12 = kernel[r + 12];
    for (let y = y0; y < y1; y++) {
      let i = (y + ky - RADIUS) * width + x0 - RADIUS;
      let p = (y - y0) * columns;
      for (let x = x0; x < x1; x++, i++, p++) {
        let sum = sums[p];
        sum += k0 * image[i];
        sum += k1 * image[i + 1];
        sum += k2 * image[i + 2];
        sum += k3 * image[i + 3];
        sum += k4 * image[i + 4];
        sum += k5 * image[i + 5];
        sum += k6 * image[i + 6];
        sum += k7 * image[i + 7];
        sum += k8 * image[i + 8];
        sum += k9 * image[i + 9];
        sum += k10 * image[i + 10];
        sum += k11 * image[i + 11];
        sum += k12 * image[i + 12];
        sums[p] = sum;
      }
    }
  }
  for (let y = y0; y < y1; y++) {
    const p = (y - y0) * columns;
    for (let x = x0; x < x1; x++) out[y * width + x] = sums[p + x - x0];
  }
}

/** Any block, in the plain loop: the window's part outside the image counts as nothing. */
function filterPlainly(image: Float32Array, width: number, height: number, kernel: Float32Array, x0: number, y0: number, x1: number, y1: number, out: Float32Array): void {
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      let sum = 0;
      for (let ky = -RADIUS; ky <= RADIUS; ky++) {
        const yy = y + ky;
        if (yy < 0 || yy >= height) continue;
        for (let kx = -RADIUS; kx <= RADIUS; kx++) {
          const xx = x + kx;
          if (xx < 0 || xx >= width) continue;
          sum += kernel[(ky + RADIUS) * SIDE + kx + RADIUS] * image[yy * width + xx];
        }
      }
      out[y * width + x] = sum;
    }
  }
}
