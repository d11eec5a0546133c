import { scratch } from './scratch-arrays.ts';

/**
 * Separable Gaussian blur of a float image (edges clamped): across the rows, then down the columns,
 * into `out` when given.
 * Inside the image, where no tap needs clamping, a kernel of nine taps (σ in (1.2, 1.6], the
 * extractor's 1.5) is held in locals; other kernels and the edges take the plain loop. Each
 * pixel's terms are added in the kernel's order either way.
 */
export function gaussianBlur(image: Float32Array, width: number, height: number, sigma: number, out = new Float32Array(image.length)): Float32Array {
  const radius = Math.ceil(sigma * 2.5);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) sum += kernel[k + radius] = Math.exp((-k * k) / (2 * sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k] /= sum;
  const across = scratch('blurred across', Float32Array, image.length);
  blurLines(image, across, kernel, width, height, 1, width);
  blurLines(across, out, kernel, height, width, width, 1);
  return out;
}

/** Blurs `lines` lines of `length` samples each, sample i of line j at j·lineStep + i·step. */
function blurLines(source: Float32Array, target: Float32Array, kernel: Float32Array, length: number, lines: number, step: number, lineStep: number): void {
  const radius = (kernel.length - 1) >> 1;
  const nine = kernel.length === 9;
  const [w0, w1, w2, w3, w4, w5, w6, w7, w8] = nine ? kernel : [];
  for (let line = 0; line < lines; line++) {
    const base = line * lineStep;
    for (let i = 0; i < length; i++) {
      let acc = 0;
      if (nine && i >= radius && i < length - radius) {
        const a = base + (i - radius) * step;
        acc += w0 * source[a];
        acc += w1 * source[a + step];
        acc += w2 * source[a + 2 * step];
        acc += w3 * source[a + 3 * step];
        acc += w4 * source[a + 4 * step];
        acc += w5 * source[a + 5 * step];
        acc += w6 * source[a + 6 * step];
        acc += w7 * source[a + 7 * step];
        acc += w8 * source[a + 8 * step];
      } else {
        for (let k = -radius; k <= radius; k++) {
          const at = i + k < 0 ? 0 : i + k >= length ? length - 1 : i + k;
          acc += kernel[k + radius] * source[base + at * step];
        }
      }
      target[base + i * step] = acc;
    }
  }
}
