import { scratch } from './scratch-arrays.ts';

/**
 * Thins a binary ridge image to a one-pixel-wide, 8-connected skeleton (Zhang–Suen, with
 * decisions looked up by neighbourhood code), then removes the staircase pixels that algorithm
 * leaves on diagonals, which would otherwise look like tiny branches to minutiae detection.
 *
 * Neighbourhood code bits, clockwise from north: N=1, NE=2, E=4, SE=8, S=16, SW=32, W=64, NW=128.
 */
const N = 1;
const NE = 2;
const E = 4;
const SE = 8;
const S = 16;
const SW = 32;
const W = 64;
const NW = 128;
const ORDER = [N, NE, E, SE, S, SW, W, NW];

export function neighbourCode(image: Uint8Array, width: number, i: number): number {
  return (
    (image[i - width] ? N : 0) |
    (image[i - width + 1] ? NE : 0) |
    (image[i + 1] ? E : 0) |
    (image[i + width + 1] ? SE : 0) |
    (image[i + width] ? S : 0) |
    (image[i + width - 1] ? SW : 0) |
    (image[i - 1] ? W : 0) |
    (image[i - width - 1] ? NW : 0)
  );
}

/** Number of 0→1 transitions around the neighbourhood: the number of separate branches. */
export function transitions(code: number): number {
  let count = 0;
  for (let k = 0; k < 8; k++) if (!(code & ORDER[k]) && code & ORDER[(k + 1) % 8]) count++;
  return count;
}

export function neighbours(code: number): number {
  let count = 0;
  for (let k = 0; k < 8; k++) if (code & ORDER[k]) count++;
  return count;
}

const [firstPass, secondPass, staircase] = (() => {
  const first = new Uint8Array(256);
  const second = new Uint8Array(256);
  const stairs = new Uint8Array(256);
  for (let code = 0; code < 256; code++) {
    const b = neighbours(code);
    const a = transitions(code);
    const has = (bit: number) => (code & bit ? 1 : 0);
    const removable = b >= 2 && b <= 6 && a === 1;
    first[code] = removable && !(has(N) && has(E) && has(S)) && !(has(E) && has(S) && has(W)) ? 1 : 0;
    second[code] = removable && !(has(N) && has(E) && has(W)) && !(has(N) && has(S) && has(W)) ? 1 : 0;
    // A corner pixel joining two 4-neighbours that already touch diagonally, with nothing else
    // depending on it, is redundant.
    const corner =
      (has(N) && has(E) && !has(S) && !has(SW) && !has(W)) ||
      (has(E) && has(S) && !has(W) && !has(NW) && !has(N)) ||
      (has(S) && has(W) && !has(N) && !has(NE) && !has(E)) ||
      (has(W) && has(N) && !has(E) && !has(SE) && !has(S));
    stairs[code] = corner && a === 1 ? 1 : 0;
  }
  return [first, second, stairs];
})();

/** Thins in place-free fashion: returns a new skeleton image (1 = skeleton). Border pixels stay 0. */
export function thin(binary: Uint8Array, width: number, height: number): Uint8Array {
  const image = new Uint8Array(binary.length);
  // Work only on pixels that are still set; the list shrinks as the ridges thin.
  let candidates = scratch('thinning candidates', Int32Array, binary.length);
  let count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      if (binary[i]) {
        image[i] = 1;
        candidates[count++] = i;
      }
    }
  }
  candidates = candidates.subarray(0, count);
  const toDelete = scratch('thinning deletions', Int32Array, count);
  let changed = true;
  while (changed) {
    changed = false;
    for (const table of [firstPass, secondPass]) {
      let deleting = 0;
      for (let c = 0; c < count; c++) {
        const i = candidates[c];
        if (image[i] && table[neighbourCode(image, width, i)]) toDelete[deleting++] = i;
      }
      for (let d = 0; d < deleting; d++) image[toDelete[d]] = 0;
      if (deleting > 0) changed = true;
    }
    let kept = 0;
    for (let c = 0; c < count; c++) if (image[candidates[c]] === 1) candidates[kept++] = candidates[c];
    count = kept;
  }
  for (let c = 0; c < count; c++) {
    const i = candidates[c];
    if (image[i] && staircase[neighbourCode(image, width, i)]) image[i] = 0;
  }
  return image;
}
