import { integralImage, windowSum } from './block-grid.ts';

/**
 * Local contrast normalisation: each pixel minus its neighbourhood mean, over the neighbourhood
 * standard deviation, sign flipped so ridges (dark on the sensor) are positive. Sensors, pressure
 * and skin dryness change brightness and contrast across a print; the later stages then see
 * ridges of similar amplitude everywhere.
 */
export function normalizeContrast(pixels: Uint8Array, width: number, height: number, radius = 12): Float32Array {
  const squares = new Float64Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) squares[i] = pixels[i] * pixels[i];
  const sums = integralImage(pixels, width, height);
  const sumsOfSquares = integralImage(squares, width, height);
  const out = new Float32Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const x0 = x - radius;
      const y0 = y - radius;
      const x1 = x + radius + 1;
      const y1 = y + radius + 1;
      const n = (Math.min(width, x1) - Math.max(0, x0)) * (Math.min(height, y1) - Math.max(0, y0));
      const mean = windowSum(sums, width, height, x0, y0, x1, y1) / n;
      const variance = windowSum(sumsOfSquares, width, height, x0, y0, x1, y1) / n - mean * mean;
      // A floor on the deviation keeps flat background from being amplified into noise.
      const deviation = Math.sqrt(Math.max(variance, 0)) + 4;
      const value = (mean - pixels[y * width + x]) / deviation;
      out[y * width + x] = value > 3 ? 3 : value < -3 ? -3 : value;
    }
  }
  return out;
}
