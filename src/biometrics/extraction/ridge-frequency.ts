import type { OrientationField } from './orientation-field.ts';
import type { ForegroundMask } from './segmentation.ts';

/**
 * Ridge period (pixels per ridge + valley) per block, from the gray-level signature across the
 * ridges: the image is sampled along the normal to the local orientation, averaged along the
 * ridge, and the distance between the signature's peaks is the period. Blocks where no clean
 * periodic signal is found take the average of their neighbours. At 500 ppi real periods lie
 * between about 6 and 14 pixels.
 */
export const MIN_PERIOD = 5;
export const MAX_PERIOD = 15;
const DEFAULT_PERIOD = 9;
const SIGNATURE_LENGTH = 32;
const ALONG_RIDGE = 6;

export function estimateRidgePeriod(
  image: Float32Array,
  width: number,
  height: number,
  field: OrientationField,
  mask: ForegroundMask,
): Float32Array {
  const { grid } = field;
  const count = grid.columns * grid.rows;
  const measured = new Float32Array(count); // 0 = no measurement
  const signature = new Float32Array(SIGNATURE_LENGTH);
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      const b = by * grid.columns + bx;
      if (!mask.blocks[b]) continue;
      const cx = bx * grid.size + grid.size / 2;
      const cy = by * grid.size + grid.size / 2;
      const ux = Math.cos(field.angle[b]);
      const uy = Math.sin(field.angle[b]);
      // Signature across the ridges (along the normal −uy, ux), averaged along them.
      for (let t = 0; t < SIGNATURE_LENGTH; t++) {
        const offset = t - SIGNATURE_LENGTH / 2;
        const acrossX = cx - uy * offset;
        const acrossY = cy + ux * offset;
        let sum = 0;
        let n = 0;
        for (let s = -ALONG_RIDGE; s <= ALONG_RIDGE; s += 2) {
          const x = Math.round(acrossX + ux * s);
          const y = Math.round(acrossY + uy * s);
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          sum += image[y * width + x];
          n++;
        }
        signature[t] = n > 0 ? sum / n : 0;
      }
      measured[b] = periodOf(signature);
    }
  }

  // Fill and smooth: average of valid measurements over 5×5 blocks.
  const valid: number[] = [];
  for (let b = 0; b < count; b++) if (measured[b] > 0) valid.push(measured[b]);
  valid.sort((a, b) => a - b);
  const fallback = valid.length > 0 ? valid[valid.length >> 1] : DEFAULT_PERIOD;
  const period = new Float32Array(count).fill(fallback);
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      let sum = 0;
      let n = 0;
      for (let dy = -2; dy <= 2; dy++) {
        for (let dx = -2; dx <= 2; dx++) {
          const x = bx + dx;
          const y = by + dy;
          if (x < 0 || y < 0 || x >= grid.columns || y >= grid.rows) continue;
          const m = measured[y * grid.columns + x];
          if (m > 0) {
            sum += m;
            n++;
          }
        }
      }
      if (n > 0) period[by * grid.columns + bx] = sum / n;
    }
  }
  return period;
}

/** Mean distance between the signature's peaks, or 0 when it is not a clean periodic signal. */
function periodOf(signature: Float32Array): number {
  let first = -1;
  let last = -1;
  let peaks = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let t = 0; t < signature.length; t++) {
    min = Math.min(min, signature[t]);
    max = Math.max(max, signature[t]);
  }
  if (max - min < 0.5) return 0; // too flat to be ridges
  for (let t = 1; t < signature.length - 1; t++) {
    if (signature[t] > signature[t - 1] && signature[t] >= signature[t + 1] && signature[t] > (min + max) / 2) {
      if (first < 0) first = t;
      last = t;
      peaks++;
    }
  }
  if (peaks < 2) return 0;
  const period = (last - first) / (peaks - 1);
  return period >= MIN_PERIOD && period <= MAX_PERIOD ? period : 0;
}
