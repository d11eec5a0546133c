import type { GrayImage } from '../gray-image.ts';

/** A rectangle of an image, in pixels: left and top inclusive, right and bottom exclusive. */
export interface FingerBox {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const BLOCK = 16;
/** The fingertip (distal phalanx) is about 1.4 times as tall as a finger is wide. */
const TIP_ASPECT = 1.4;

/**
 * Cuts a slap (several fingers pressed at once, 500 ppi) into `count` fingertips, left to right.
 * Print blocks are those whose grey levels vary like ridges; the fingers are separated at the
 * emptiest block columns near even spacing, and each finger's box runs from its topmost print
 * row down one fingertip's height. Returns fewer boxes than asked when the print is too small.
 */
export function segmentSlap(image: GrayImage, count: number): FingerBox[] {
  const columns = Math.floor(image.width / BLOCK);
  const rows = Math.floor(image.height / BLOCK);
  if (columns < count || rows < 2) return [];
  const print = printBlocks(image, columns, rows);
  const profile = Array.from({ length: columns }, (_, x) => {
    let sum = 0;
    for (let y = 0; y < rows; y++) sum += print[y * columns + x];
    return sum;
  });
  const first = profile.findIndex((v) => v > 0);
  const last = profile.length - 1 - [...profile].reverse().findIndex((v) => v > 0);
  if (first < 0 || last - first + 1 < count) return [];
  const span = last - first + 1;
  const smooth = (x: number) => (profile[x - 1] ?? 0) + profile[x] + (profile[x + 1] ?? 0);
  const cuts = [first];
  for (let k = 1; k < count; k++) {
    const expected = first + (k * span) / count;
    const reach = Math.max(1, Math.floor((0.4 * span) / count));
    let best = Math.round(expected);
    for (let x = Math.max(cuts[k - 1] + 1, Math.round(expected - reach)); x <= Math.min(last - 1, Math.round(expected + reach)); x++) {
      if (smooth(x) < smooth(best)) best = x;
    }
    cuts.push(best);
  }
  cuts.push(last + 1);
  const boxes: FingerBox[] = [];
  for (let k = 0; k < count; k++) {
    const box = fingertip(print, columns, rows, cuts[k], cuts[k + 1]);
    if (box) boxes.push({ left: box.left * BLOCK, right: Math.min(image.width, box.right * BLOCK), top: box.top * BLOCK, bottom: Math.min(image.height, box.bottom * BLOCK) });
  }
  return boxes;
}

function fingertip(print: Uint8Array, columns: number, rows: number, from: number, to: number): FingerBox | undefined {
  const rowCount = (y: number) => {
    let n = 0;
    for (let x = from; x < to; x++) n += print[y * columns + x];
    return n;
  };
  const minimum = Math.max(1, Math.floor((to - from) / 3));
  let top = 0;
  while (top < rows && rowCount(top) < minimum) top++;
  if (top >= rows) return undefined;
  let left = to;
  let right = from;
  const bottom = Math.min(rows, top + Math.max(2, Math.round(TIP_ASPECT * (to - from))));
  for (let y = top; y < bottom; y++) {
    for (let x = from; x < to; x++) {
      if (print[y * columns + x]) {
        left = Math.min(left, x);
        right = Math.max(right, x + 1);
      }
    }
  }
  return { left, right, top, bottom };
}

/** 1 for blocks whose standard deviation reaches a share of the image's own high contrast. */
function printBlocks(image: GrayImage, columns: number, rows: number): Uint8Array {
  const deviation = new Float32Array(columns * rows);
  for (let by = 0; by < rows; by++) {
    for (let bx = 0; bx < columns; bx++) {
      let sum = 0;
      let squares = 0;
      for (let y = by * BLOCK; y < (by + 1) * BLOCK; y++) {
        for (let x = bx * BLOCK; x < (bx + 1) * BLOCK; x++) {
          const v = image.pixels[y * image.width + x];
          sum += v;
          squares += v * v;
        }
      }
      const n = BLOCK * BLOCK;
      deviation[by * columns + bx] = Math.sqrt(Math.max(0, squares / n - (sum / n) ** 2));
    }
  }
  const sorted = Float32Array.from(deviation).sort();
  const threshold = Math.max(6, 0.3 * sorted[Math.floor(sorted.length * 0.9)]);
  return Uint8Array.from(deviation, (d) => (d >= threshold ? 1 : 0));
}

/** The pixels inside a box, as an image of their own at the same resolution. */
export function cropImage(image: GrayImage, box: FingerBox): GrayImage {
  const width = box.right - box.left;
  const height = box.bottom - box.top;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) pixels.set(image.pixels.subarray((box.top + y) * image.width + box.left, (box.top + y) * image.width + box.right), y * width);
  return { width, height, pixels, ppi: image.ppi };
}
