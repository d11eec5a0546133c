import type { Random } from './random.ts';

/**
 * Ridges grown the SFinGe way: start from a few random dots and filter again and again with
 * Gabor filters tuned to the local ridge orientation and period. Each pass extends the pattern
 * along the flow; where fronts grown from different seeds meet out of phase, and where the flow
 * spreads or the period changes, ridges have to end or fork, so the minutiae arise from the
 * pattern rather than being placed.
 *
 * Speed: growth runs at half resolution (a quarter of the pixels, kernels a third the size, half
 * the distance to cover), then a few full-resolution passes sharpen the upsampled pattern.
 * Kernels are precomputed for quantised orientations and periods; each pixel picks its own (no
 * block seams). Only blocks the pattern has reached are filtered, and blocks whose ridges stopped
 * changing are frozen, so a pass costs what the growing front costs.
 */
export interface KernelBank {
  radius: number;
  minPeriod: number;
  periodStep: number;
  periods: number;
  kernels: Float32Array[];
}

const ORIENTATIONS = 32;
const SIGMA_ACROSS_PER_PERIOD = 0.42;
/** Gain before clipping: > 1 so weak responses at the front grow; clipping keeps ridges binary-like. */
const GAIN = 3;
const BLOCK = 8;
/** A block counts as reached once its ridges are this strong. */
const REACHED = 0.5;
/** A block whose largest change in a pass stays below this for FREEZE_AFTER passes is frozen. */
const STILL_CHANGE = 0.08;
const FREEZE_AFTER = 2;
/** Passes after the pattern has covered the finger, to let the fronts settle. */
const SETTLING_PASSES = 2;
const MAX_PASSES = 80;

/** Full resolution: ridge periods 6–13 px at 500 ppi. */
export const FULL_RESOLUTION = buildBank(6, 4, 6, 13, 0.5);
/** Half resolution, for growing. */
export const HALF_RESOLUTION = buildBank(3, 2, 3, 6.5, 0.25);

function buildBank(radius: number, sigmaAlong: number, minPeriod: number, maxPeriod: number, periodStep: number): KernelBank {
  const side = 2 * radius + 1;
  const periods = Math.round((maxPeriod - minPeriod) / periodStep) + 1;
  const kernels: Float32Array[] = [];
  for (let o = 0; o < ORIENTATIONS; o++) {
    const theta = (o / ORIENTATIONS) * Math.PI;
    const ux = Math.cos(theta);
    const uy = Math.sin(theta);
    for (let p = 0; p < periods; p++) {
      const period = minPeriod + p * periodStep;
      const sigmaAcross = SIGMA_ACROSS_PER_PERIOD * period;
      const kernel = new Float32Array(side * side);
      const wave = new Float32Array(side * side);
      let sum = 0;
      for (let y = -radius; y <= radius; y++) {
        for (let x = -radius; x <= radius; x++) {
          const along = x * ux + y * uy;
          const across = -x * uy + y * ux;
          const k = (y + radius) * side + x + radius;
          wave[k] = Math.cos((2 * Math.PI * across) / period);
          kernel[k] = Math.exp(-0.5 * ((along * along) / (sigmaAlong * sigmaAlong) + (across * across) / (sigmaAcross * sigmaAcross))) * wave[k];
          sum += kernel[k];
        }
      }
      // Zero mean (a flat area gives no response), then unit response to an ideal ridge pattern.
      const mean = sum / kernel.length;
      let response = 0;
      for (let k = 0; k < kernel.length; k++) {
        kernel[k] -= mean;
        response += kernel[k] * wave[k];
      }
      for (let k = 0; k < kernel.length; k++) kernel[k] /= response;
      kernels.push(kernel);
    }
  }
  return { radius, minPeriod, periodStep, periods, kernels };
}

/** Index of the bank's kernel for a ridge orientation (radians, [0, π)) and period (pixels). */
export function kernelFor(bank: KernelBank, angle: number, period: number): number {
  const o = Math.round((angle / Math.PI) * ORIENTATIONS) % ORIENTATIONS;
  const p = Math.min(bank.periods - 1, Math.max(0, Math.round((period - bank.minPeriod) / bank.periodStep)));
  return o * bank.periods + p;
}

/** A ridge-filtering problem: per-pixel kernel indices over the pixels where `inside` is set. */
export interface RidgeFlow {
  width: number;
  height: number;
  bank: KernelBank;
  kernel: Uint16Array;
  inside: Uint8Array;
}

/**
 * Grows ridges from `seeds` random dots until they cover the inside. Returns the ridge map in
 * [−1, 1], positive on ridges, 0 outside.
 */
export function growRidges(flow: RidgeFlow, seeds: number, random: Random): Float32Array {
  const start = new Float32Array(flow.width * flow.height);
  const insideIndices: number[] = [];
  for (let i = 0; i < flow.inside.length; i++) if (flow.inside[i]) insideIndices.push(i);
  for (let s = 0; s < seeds && insideIndices.length > 0; s++) {
    const i = insideIndices[Math.floor(random() * insideIndices.length)];
    start[i] = 1;
    if (flow.inside[i + 1]) start[i + 1] = 1;
  }
  return filterPasses(flow, start, MAX_PASSES, true);
}

/** A few passes over the whole inside, to sharpen a pattern (e.g. one upsampled from half resolution). */
export function refineRidges(flow: RidgeFlow, ridges: Float32Array, passes: number): Float32Array {
  return filterPasses(flow, ridges, passes, false);
}

function filterPasses(flow: RidgeFlow, start: Float32Array, maxPasses: number, growing: boolean): Float32Array {
  const { width, height, bank, kernel, inside } = flow;
  const radius = bank.radius;
  const side = 2 * radius + 1;
  // Work on padded copies so the inner loop needs no bounds checks.
  const stride = width + 2 * radius;
  let current = new Float32Array(stride * (height + 2 * radius));
  let next = new Float32Array(current.length);
  for (let y = 0; y < height; y++) current.set(start.subarray(y * width, (y + 1) * width), (y + radius) * stride + radius);

  const columns = Math.ceil(width / BLOCK);
  const rows = Math.ceil(height / BLOCK);
  const blockInside = new Uint8Array(columns * rows);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (inside[y * width + x]) blockInside[((y / BLOCK) | 0) * columns + ((x / BLOCK) | 0)] = 1;
  const reached = new Uint8Array(columns * rows);
  const still = new Uint8Array(columns * rows);
  if (!growing) reached.set(blockInside);

  let settled = 0;
  for (let pass = 0; pass < maxPasses && settled < SETTLING_PASSES; pass++) {
    if (growing) {
      let spreading = false;
      for (let b = 0; b < reached.length; b++) {
        if (reached[b] || !blockInside[b]) continue;
        if (blockPeak(b) > REACHED) reached[b] = 1;
        else spreading = true;
      }
      if (!spreading) settled++;
    }
    for (let by = 0; by < rows; by++) {
      for (let bx = 0; bx < columns; bx++) {
        const b = by * columns + bx;
        const y0 = by * BLOCK;
        const x0 = bx * BLOCK;
        const yEnd = Math.min(height, y0 + BLOCK);
        const xEnd = Math.min(width, x0 + BLOCK);
        let near = 0;
        for (let ny = Math.max(0, by - 1); ny <= Math.min(rows - 1, by + 1); ny++) {
          for (let nx = Math.max(0, bx - 1); nx <= Math.min(columns - 1, bx + 1); nx++) near |= reached[ny * columns + nx];
        }
        if (!blockInside[b] || !near || still[b] >= FREEZE_AFTER) {
          for (let y = y0; y < yEnd; y++) {
            const at = (y + radius) * stride + radius;
            next.set(current.subarray(at + x0, at + xEnd), at + x0);
          }
          continue;
        }
        let change = 0;
        for (let y = y0; y < yEnd; y++) {
          for (let x = x0; x < xEnd; x++) {
            const pixel = y * width + x;
            const at = (y + radius) * stride + x + radius;
            if (!inside[pixel]) continue;
            const k = bank.kernels[kernel[pixel]];
            let sum = 0;
            let w = 0;
            let row = y * stride + x; // top-left corner of the window, in padded coordinates
            for (let ky = 0; ky < side; ky++, row += stride) {
              for (let kx = 0; kx < side; kx++) sum += k[w++] * current[row + kx];
            }
            sum *= GAIN;
            const value = sum > 1 ? 1 : sum < -1 ? -1 : sum;
            const delta = Math.abs(value - current[at]);
            if (delta > change) change = delta;
            next[at] = value;
          }
        }
        still[b] = growing && reached[b] && change < STILL_CHANGE ? still[b] + 1 : 0;
      }
    }
    const swap = current;
    current = next;
    next = swap;
  }

  const ridges = new Float32Array(width * height);
  for (let y = 0; y < height; y++) ridges.set(current.subarray((y + radius) * stride + radius, (y + radius) * stride + radius + width), y * width);
  return ridges;

  function blockPeak(b: number): number {
    const bx = b % columns;
    const by = (b - bx) / columns;
    let peak = 0;
    for (let y = by * BLOCK; y < Math.min(height, (by + 1) * BLOCK); y++) {
      for (let x = bx * BLOCK; x < Math.min(width, (bx + 1) * BLOCK); x++) peak = Math.max(peak, Math.abs(current[(y + radius) * stride + x + radius]));
    }
    return peak;
  }
}

/** Bilinear upsampling by two, for the half-resolution pattern. */
export function upsampleTwice(values: Float32Array, width: number, height: number, outWidth: number, outHeight: number): Float32Array {
  const out = new Float32Array(outWidth * outHeight);
  for (let y = 0; y < outHeight; y++) {
    const sy = Math.min(height - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(height - 1, y0 + 1);
    const ty = sy - y0;
    for (let x = 0; x < outWidth; x++) {
      const sx = Math.min(width - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(width - 1, x0 + 1);
      const tx = sx - x0;
      const top = values[y0 * width + x0] * (1 - tx) + values[y0 * width + x1] * tx;
      const bottom = values[y1 * width + x0] * (1 - tx) + values[y1 * width + x1] * tx;
      out[y * outWidth + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}
