import { describe, expect, it } from 'vitest';
import { populationTemplate } from '../population/population-template.ts';
import { minutiaPairs, pointsOf } from './pair-features.ts';
import { decodePairList, encodePairList } from './pair-lists.ts';

describe('pair lists', () => {
  it('keep a finger’s pairs in a byte a minutia and a byte a pair, and give the same pairs back', () => {
    const points = pointsOf(populationTemplate(4).minutiae);
    const pairs = minutiaPairs(points);
    const list = encodePairList(pairs, points.count);
    expect(list.length).toBe(points.count + pairs.count);
    const { count, first, second } = decodePairList(list, points.count);
    const decoded = Array.from({ length: count }, (_, k) => `${first[k]}-${second[k]}`).sort();
    expect(decoded).toEqual(Array.from({ length: pairs.count }, (_, k) => `${pairs.first[k]}-${pairs.second[k]}`).sort());
  });

  it('keep none for a template of more minutiae than a byte numbers', () => {
    const many = Array.from({ length: 300 }, (_, k) => ({ x: (k % 20) * 15, y: Math.floor(k / 20) * 15, angle: k }));
    const points = { count: many.length, x: many.map((m) => m.x), y: many.map((m) => m.y), angle: many.map((m) => m.angle) };
    const list = encodePairList(minutiaPairs(points), points.count);
    expect(list.length).toBe(0);
    expect(decodePairList(list, points.count).count).toBe(0);
  });
});
