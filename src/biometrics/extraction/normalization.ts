import { windowSum } from './block-grid.ts';
import { scratch } from './scratch-arrays.ts';

/**
 * Local contrast normalisation: each pixel minus its neighbourhood mean, over the neighbourhood
 * standard deviation, sign flipped so ridges (dark on the sensor) are positive. Sensors, pressure
 * and skin dryness change brightness and contrast across a print; the later stages then see
 * ridges of similar amplitude everywhere.
 */
export function normalizeContrast(pixels: Uint8Array, width: number, height: number, radius = 12): Float32Array {
  const { sums, sumsOfSquares } = pixelSums(pixels, width, height);
  const out = new Float32Array(pixels.length);
  const stride = width + 1;
  const side = 2 * radius + 1;
  const area = side * side;
  for (let y = 0; y < height; y++) {
    const inside = y >= radius && y + radius < height;
    for (let x = 0; x < width; x++) {
      let sum: number, squares: number, n: number;
      if (inside && x >= radius && x + radius < width) {
        // The whole window inside the image: its corners need no clipping, its area is fixed.
        const a = (y - radius) * stride + x - radius;
        const b = a + side * stride;
        sum = sums[b + side] - sums[a + side] - sums[b] + sums[a];
        squares = sumsOfSquares[b + side] - sumsOfSquares[a + side] - sumsOfSquares[b] + sumsOfSquares[a];
        n = area;
      } else {
        const [x0, y0, x1, y1] = [x - radius, y - radius, x + radius + 1, y + radius + 1];
        sum = windowSum(sums, width, height, x0, y0, x1, y1);
        squares = windowSum(sumsOfSquares, width, height, x0, y0, x1, y1);
        n = (Math.min(width, x1) - Math.max(0, x0)) * (Math.min(height, y1) - Math.max(0, y0));
      }
      const mean = sum / n;
      const variance = squares / n - mean * mean;
      // A floor on the deviation keeps flat background from being amplified into noise.
      const deviation = Math.sqrt(Math.max(variance, 0)) + 4;
      const value = (mean - pixels[y * width + x]) / deviation;
      out[y * width + x] = value > 3 ? 3 : value < -3 ? -3 : value;
    }
  }
  return out;
}

/** Summed-area tables (block-grid.ts's layout) of the pixels and of their squares, in one pass. */
function pixelSums(pixels: Uint8Array, width: number, height: number): { sums: Float64Array; sumsOfSquares: Float64Array } {
  const stride = width + 1;
  const sums = scratch('contrast sums', Float64Array, stride * (height + 1));
  const sumsOfSquares = scratch('contrast sums of squares', Float64Array, stride * (height + 1));
  for (let y = 0; y < height; y++) {
    let rowSum = 0;
    let rowSquares = 0;
    for (let x = 0; x < width; x++) {
      const value = pixels[y * width + x];
      rowSum += value;
      rowSquares += value * value;
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + rowSum;
      sumsOfSquares[(y + 1) * stride + x + 1] = sumsOfSquares[y * stride + x + 1] + rowSquares;
    }
  }
  return { sums, sumsOfSquares };
}
