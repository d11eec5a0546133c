/** A region of an 8-bit gray image, in pixels. */
export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Gray {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, row by row. */
  readonly pixels: Uint8Array;
}

/** The region clipped to the image, in whole pixels. */
export function clip(image: Gray, r: Region): Region {
  const x = Math.max(0, Math.floor(r.x));
  const y = Math.max(0, Math.floor(r.y));
  return { x, y, width: Math.max(0, Math.min(image.width, Math.ceil(r.x + r.width)) - x), height: Math.max(0, Math.min(image.height, Math.ceil(r.y + r.height)) - y) };
}

/**
 * Sharpness of a region: the standard deviation of its Laplacian. A focused face has crisp edges
 * (eyes, lips, hair) that give large second derivatives; blur flattens them.
 */
export function sharpness(image: Gray, region: Region): number {
  const { x, y, width, height } = clip(image, region);
  const { pixels, width: stride } = image;
  let sum = 0;
  let squares = 0;
  let n = 0;
  for (let row = y + 1; row < y + height - 1; row++) {
    for (let col = x + 1; col < x + width - 1; col++) {
      const i = row * stride + col;
      const lap = pixels[i - 1] + pixels[i + 1] + pixels[i - stride] + pixels[i + stride] - 4 * pixels[i];
      sum += lap;
      squares += lap * lap;
      n++;
    }
  }
  return n === 0 ? 0 : Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
}

/** Exposure of a region: its mean brightness and the share of its pixels clipped to black or white. */
export function exposure(image: Gray, region: Region): { mean: number; clipped: number } {
  const { x, y, width, height } = clip(image, region);
  let sum = 0;
  let clipped = 0;
  for (let row = y; row < y + height; row++) {
    for (let col = x; col < x + width; col++) {
      const v = image.pixels[row * image.width + col];
      sum += v;
      if (v <= 3 || v >= 252) clipped++;
    }
  }
  const n = width * height;
  return n === 0 ? { mean: 0, clipped: 1 } : { mean: sum / n, clipped: clipped / n };
}
