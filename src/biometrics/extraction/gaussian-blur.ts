import { scratch } from './scratch-arrays.ts';

/**
 * Separable Gaussian blur of a float image (edges clamped): across the rows, then down the columns,
 * into `out` when given.
 * Inside the image, where no tap needs clamping, a kernel of nine taps (σ in (1.2, 1.6], the
 * extractor's 1.5) is held in locals; other kernels and the edges take the plain loop. Each
 * pixel's terms are added in the kernel's order either way. Both passes walk the image a row at a
 * time, so the pass down the columns reads nine rows in step instead of leaping a row per tap.
 */
export function gaussianBlur(image: Float32Array, width: number, height: number, sigma: number, out = new Float32Array(image.length)): Float32Array {
  const radius = Math.ceil(sigma * 2.5);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const across = scratch('blurred across', Float32Array, image.length);
  blurRows(image, across, kernel, width, height);
  blurColumns(across, out, kernel, width, height);
  return out;
}

/** The pass down the columns, row by row: each pixel's taps are those of `blurRows` turned down the column, added in the same order. */
function blurColumns(source: Float32Array, target: Float32Array, kernel: Float32Array, width: number, height: number): void {
  const radius = (kernel.length - 1) >> 1;
  const nine = kernel.length === 9;
  const [w0, w1, w2, w3, w4, w5, w6, w7, w8] = nine ? kernel : [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (nine && y >= radius && y < height - radius) {
      const r0 = (y - radius) * width, r1 = r0 + width, r2 = r1 + width, r3 = r2 + width, r4 = r3 + width;
      const r5 = r4 + width, r6 = r5 + width, r7 = r6 + width, r8 = r7 + width;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        acc += w0 * source[r0 + x];
        acc += w1 * source[r1 + x];
        acc += w2 * source[r2 + x];
        acc += w3 * source[r3 + x];
        acc += w4 * source[r4 + x];
        acc += w5 * source[r5 + x];
        acc += w6 * source[r6 + x];
        acc += w7 * source[r7 + x];
        acc += w8 * source[r8 + x];
        target[row + x] = acc;
      }
      continue;
    }
    for (let x = 0; x < width; x++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const at = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
        acc += kernel[k + radius] * source[at * width + x];
      }
      target[row + x] = acc;
    }
  }
}

/** The pass across the rows. */
function blurRows(source: Float32Array, target: Float32Array, kernel: Float32Array, width: number, height: number): void {
  const radius = (kernel.length - 1) >> 1;
  const nine = kernel.length === 9;
  const [w0, w1, w2, w3, w4, w5, w6, w7, w8] = nine ? kernel : [];
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      let acc = 0;
      if (nine && x >= radius && x < width - radius) {
        const a = row + x - radius;
        acc += w0 * source[a];
        acc += w1 * source[a + 1];
        acc += w2 * source[a + 2];
        acc += w3 * source[a + 3];
        acc += w4 * source[a + 4];
        acc += w5 * source[a + 5];
        acc += w6 * source[a + 6];
        acc += w7 * source[a + 7];
        acc += w8 * source[a + 8];
      } else {
        for (let k = -radius; k <= radius; k++) {
          const at = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
          acc += kernel[k + radius] * source[row + at];
        }
      }
      target[row + x] = acc;
    }
  }
}
