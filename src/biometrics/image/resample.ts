import type { GrayImage } from '../gray-image.ts';

/**
 * Resamples an image to another resolution. Downscaling averages the source pixels each target
 * pixel covers (area filter, no aliasing of ridges); upscaling interpolates bilinearly.
 */
export function resampleToPpi(image: GrayImage, targetPpi: number): GrayImage {
  if (Math.abs(image.ppi - targetPpi) < 0.5) return image;
  const scale = targetPpi / image.ppi;
  const { width, height } = resampledSize(image.width, image.height, image.ppi, targetPpi);
  const pixels = scale < 1 ? areaDownscale(image, width, height) : bilinear(image, width, height);
  return { width, height, pixels, ppi: targetPpi };
}

/** The size `resampleToPpi` gives an image of width×height at `ppi`, known before it is decoded. */
export function resampledSize(width: number, height: number, ppi: number, targetPpi: number): { width: number; height: number } {
  if (Math.abs(ppi - targetPpi) < 0.5) return { width, height };
  const scale = targetPpi / ppi;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

function areaDownscale(image: GrayImage, width: number, height: number): Uint8Array {
  const { pixels: src, width: sw, height: sh } = image;
  const out = new Uint8Array(width * height);
  const fx = sw / width;
  const fy = sh / height;
  for (let y = 0; y < height; y++) {
    const y0 = y * fy;
    const y1 = y0 + fy;
    for (let x = 0; x < width; x++) {
      const x0 = x * fx;
      const x1 = x0 + fx;
      let sum = 0;
      let weight = 0;
      for (let sy = Math.floor(y0); sy < Math.min(sh, Math.ceil(y1)); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.min(sw, Math.ceil(x1)); sx++) {
          const w = wy * (Math.min(x1, sx + 1) - Math.max(x0, sx));
          sum += src[sy * sw + sx] * w;
          weight += w;
        }
      }
      out[y * width + x] = Math.round(sum / weight);
    }
  }
  return out;
}

function bilinear(image: GrayImage, width: number, height: number): Uint8Array {
  const { pixels: src, width: sw, height: sh } = image;
  const out = new Uint8Array(width * height);
  const fx = sw / width;
  const fy = sh / height;
  for (let y = 0; y < height; y++) {
    const sy = Math.min(sh - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(sh - 1, y0 + 1);
    const ty = sy - y0;
    for (let x = 0; x < width; x++) {
      const sx = Math.min(sw - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(sw - 1, x0 + 1);
      const tx = sx - x0;
      const top = src[y0 * sw + x0] * (1 - tx) + src[y0 * sw + x1] * tx;
      const bottom = src[y1 * sw + x0] * (1 - tx) + src[y1 * sw + x1] * tx;
      out[y * width + x] = Math.round(top * (1 - ty) + bottom * ty);
    }
  }
  return out;
}
