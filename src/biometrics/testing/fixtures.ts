import { readFileSync } from 'node:fs';
import type { GrayImage } from '../gray-image.ts';
import type { FingerprintTemplate, Minutia } from '../template.ts';
import sharp from 'sharp';
import { moveMinutia, moveOrientationMap } from '../move-print.ts';

/** Test helpers: the committed fixture prints and synthetic images with known geometry. */
export const FIXTURES = new URL('../../../fixtures/fingerprints/', import.meta.url);

export async function fixtureImage(name: string): Promise<GrayImage> {
  const { data, info } = await sharp(readFileSync(new URL(name, FIXTURES))).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: new Uint8Array(data), ppi: 500 };
}

/** Parallel ridges at `angle` (image coordinates, radians) with the given period, dark ridges on light. */
export function sinusoidImage(width: number, height: number, angle: number, period: number, shape?: (x: number, y: number) => number): GrayImage {
  const pixels = new Uint8Array(width * height);
  const nx = -Math.sin(angle);
  const ny = Math.cos(angle);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const phase = shape ? shape(x, y) : (x * nx + y * ny) / period;
      pixels[y * width + x] = Math.round(128 + 100 * Math.cos(2 * Math.PI * phase));
    }
  }
  return { width, height, pixels, ppi: 500 };
}

/** Rotates (counter-clockwise as seen, radians), translates and crops a template, with jitter; its orientation map moves too. */
export function transformTemplate(
  template: FingerprintTemplate,
  options: { rotation: number; dx: number; dy: number; keep?: (m: Minutia) => boolean; jitter?: number; seed?: number },
): FingerprintTemplate {
  let state = options.seed ?? 7;
  const random = () => ((state = (state * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff) - 0.5;
  const motion = { cx: template.width / 2, cy: template.height / 2, rotation: options.rotation, dx: options.dx, dy: options.dy };
  const jitter = options.jitter ?? 0;
  const minutiae = template.minutiae
    .filter((m) => (options.keep ? options.keep(m) : true))
    .map((m) => {
      const moved = moveMinutia(m, motion);
      return { ...moved, x: moved.x + jitter * random(), y: moved.y + jitter * random() };
    });
  const moved = { ...template, minutiae };
  if (!template.orientation) return moved;
  return { ...moved, orientation: moveOrientationMap(template.orientation, motion) };
}
