import { describe, expect, it } from 'vitest';
import { nearestNeighbours } from './nearest-neighbours.ts';

/** Every distance measured: the k nearest within [least, most], ties by index. */
function bruteForce(x: number[], y: number[], k: number, least: number, most: number): number[][] {
  return x.map((_, i) =>
    x
      .map((_, j) => ({ j, d: Math.hypot(x[j] - x[i], y[j] - y[i]) }))
      .filter(({ j, d }) => j !== i && d >= least && d <= most)
      .sort((a, b) => a.d - b.d || a.j - b.j)
      .slice(0, k)
      .map(({ j }) => j),
  );
}

function listed(x: number[], y: number[], k: number, least: number, most: number): number[][] {
  const { nearest, found } = nearestNeighbours(x, y, x.length, k, least, most);
  return x.map((_, i) => Array.from(nearest.subarray(i * k, i * k + found[i])));
}

describe('nearestNeighbours', () => {
  it('finds what measuring every distance finds, on random points, on a grid of equal distances and at both limits', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 400;
    const x = Array.from({ length: 60 }, () => Math.round(random()));
    const y = Array.from({ length: 60 }, () => Math.round(random()));
    for (const k of [1, 6, 7]) expect(listed(x, y, k, 6, 120)).toEqual(bruteForce(x, y, k, 6, 120));
    // A grid 10 px apart: many ties, settled by index; points exactly at the limits kept.
    const gx = Array.from({ length: 49 }, (_, i) => (i % 7) * 10);
    const gy = Array.from({ length: 49 }, (_, i) => Math.floor(i / 7) * 10);
    expect(listed(gx, gy, 6, 10, 20)).toEqual(bruteForce(gx, gy, 6, 10, 20));
    expect(listed([0, 6, 126], [0, 0, 0], 2, 6, 120)).toEqual([[1], [0, 2], [1]]);
  });
});
