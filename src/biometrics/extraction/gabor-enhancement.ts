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
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      const b = by * grid.columns + bx;
      if (!mask.blocks[b]) continue;
      const kernel = kernels[kernelIndex(field.angle[b], period[b])];
      const yEnd = Math.min(height, (by + 1) * grid.size);
      const xEnd = Math.min(width, (bx + 1) * grid.size);
      for (let y = by * grid.size; y < yEnd; y++) {
        for (let x = bx * grid.size; x < xEnd; x++) {
          let sum = 0;
          if (x >= RADIUS && y >= RADIUS && x < width - RADIUS && y < height - RADIUS) {
            let k = 0;
            for (let ky = -RADIUS; ky <= RADIUS; ky++) {
              let i = (y + ky) * width + x - RADIUS;
              for (let kx = 0; kx < SIDE; kx++) sum += kernel[k++] * image[i++];
            }
          } else {
            for (let ky = -RADIUS; ky <= RADIUS; ky++) {
              const yy = y + ky;
              if (yy < 0 || yy >= height) continue;
              for (let kx = -RADIUS; kx <= RADIUS; kx++) {
                const xx = x + kx;
                if (xx < 0 || xx >= width) continue;
                sum += kernel[(ky + RADIUS) * SIDE + kx + RADIUS] * image[yy * width + xx];
              }
            }
          }
          out[y * width + x] = sum;
        }
      }
    }
  }
  return out;
}
