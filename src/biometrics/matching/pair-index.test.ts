import { describe, expect, it } from 'vitest';
import { transformTemplate } from '../testing/fixtures.ts';
import { populationTemplate } from '../population/population-template.ts';
import { minutiaPairs, pointsOf } from './pair-features.ts';
import { PairIndex } from './pair-index.ts';
import { GalleryShard, SHORTLIST } from './gallery-shard.ts';
import { encodeTemplate } from '../template-codec.ts';
import { prepareTemplate } from './prepared-template.ts';

const FINGERS = 2000;
const population = Array.from({ length: FINGERS }, (_, k) => populationTemplate(k + 1));

describe('PairIndex', () => {
  it('ranks a turned, moved, thinned and jittered impression of a finger first among thousands, and forgets a removed one', () => {
    const index = new PairIndex();
    population.forEach((template, slot) => index.add(slot, minutiaPairs(pointsOf(template.minutiae))));
    for (const slot of [3, 777, 1999]) {
      const probe = transformTemplate(population[slot], { rotation: 0.4, dx: 25, dy: -15, jitter: 2, keep: (m) => m.x + m.y > 120, seed: slot });
      const { slots } = index.search(minutiaPairs(pointsOf(probe.minutiae)), 10, 'near');
      expect(slots[0]).toBe(slot);
    }
    index.remove(777);
    const { slots } = index.search(minutiaPairs(pointsOf(population[777].minutiae)), 10, 'near');
    expect(Array.from(slots)).not.toContain(777);
  });
  it('keeps of a long list the same fingers, in the same order, as ranking every finger would', () => {
    const index = new PairIndex();
    population.forEach((template, slot) => index.add(slot, minutiaPairs(pointsOf(template.minutiae))));
    const probe = minutiaPairs(pointsOf(transformTemplate(population[50], { rotation: 1.1, dx: 5, dy: 5, jitter: 3, seed: 2 }).minutiae));
    const every = index.search(probe, FINGERS, 'near');
    expect(new Set(every.slots).size).toBe(FINGERS);
    for (let k = 1; k < FINGERS; k++) expect(every.scores[k] < every.scores[k - 1] || (every.scores[k] === every.scores[k - 1] && every.slots[k] > every.slots[k - 1])).toBe(true);
    const some = index.search(probe, 700, 'near');
    expect(Array.from(some.slots)).toEqual(Array.from(every.slots.subarray(0, 700)));
    expect(Array.from(some.scores)).toEqual(Array.from(every.scores.subarray(0, 700)));
  });
  it('votes alike for fingers filed in many batches far apart, before and after they are merged into one segment', () => {
    // Slots 20 apart reach past several blocks of the vote; batches of 250 leave a few segments.
    const index = new PairIndex();
    for (let from = 0; from < FINGERS; from += 250) {
      const batch = population.slice(from, from + 250);
      index.addAll(batch.map((_, k) => (from + k) * 20), batch.map((template) => minutiaPairs(pointsOf(template.minutiae))));
    }
    const probes = [5, 901, 1998].map((k) => minutiaPairs(pointsOf(transformTemplate(population[k], { rotation: -0.5, dx: -10, dy: 30, jitter: 2, seed: k }).minutiae)));
    const before = probes.map((probe) => index.search(probe, 20, 'near'));
    index.compact();
    const after = probes.map((probe) => index.search(probe, 20, 'near'));
    expect(before.map((r) => r.slots[0])).toEqual([100, 18020, 39960]);
    expect(after.map((r) => [Array.from(r.slots), Array.from(r.scores)])).toEqual(before.map((r) => [Array.from(r.slots), Array.from(r.scores)]));
  });
});

describe('GalleryShard', () => {
  it('past its shortlist, still finds the mate through the index and counts every subject as searched', () => {
    expect(FINGERS).toBeGreaterThan(SHORTLIST);
    const shard = new GalleryShard();
    population.forEach((template, k) => shard.add(`S${k}`, 2, encodeTemplate(template)));
    const probe = transformTemplate(population[1234], { rotation: -0.3, dx: -20, dy: 10, jitter: 2, seed: 9 });
    const [best] = shard.search([{ position: 2, template: prepareTemplate(probe) }], 5, 0);
    expect(best.subjectId).toBe('S1234');
    expect(best.searched).toBe(FINGERS);
    // A probe of another finger position compares with none of them.
    expect(shard.search([{ position: 7, template: prepareTemplate(probe) }], 5, 0)).toEqual([]);
  });

  it('holds a finger of more minutiae than a pair list numbers, given first, and still finds mates past its shortlist', () => {
    const shard = new GalleryShard();
    const minutiae = Array.from({ length: 300 }, (_, k) => ({ x: 20 + (k % 20) * 14, y: 20 + Math.floor(k / 20) * 14, angle: (k * 0.7) % (2 * Math.PI), type: 'ending' as const, quality: 60 }));
    shard.add('MANY', 2, encodeTemplate({ ...population[0], minutiae }));
    population.slice(0, 400).forEach((template, k) => shard.add(`S${k}`, 2, encodeTemplate(template)));
    expect(shard.size).toBe(401);
    const probe = transformTemplate(population[123], { rotation: 0.6, dx: 15, dy: -25, jitter: 2, seed: 4 });
    const [best] = shard.search([{ position: 2, template: prepareTemplate(probe) }], 5, 0);
    expect(best.subjectId).toBe('S123');
  });

  it('in a ten-print gallery looks a probe finger up among its own position and unknown ones only, and any position for a probe of unknown position', () => {
    const shard = new GalleryShard();
    // 200 people, ten fingers each; person 42's right thumb is stored with its position unknown.
    population.forEach((template, k) => {
      const person = Math.floor(k / 10);
      const position = person === 42 && k % 10 === 0 ? 0 : (k % 10) + 1;
      shard.add(`S${person}`, position, encodeTemplate(template));
    });
    const impression = (k: number) => prepareTemplate(transformTemplate(population[k], { rotation: 0.2, dx: 12, dy: -8, jitter: 2, seed: k }));
    // Person 77's left middle finger (position 8), searched as position 8 and as unknown.
    expect(shard.firstStage({ position: 8, template: impression(777) }, 10)[0].subjectId).toBe('S77');
    expect(shard.firstStage({ position: 0, template: impression(777) }, 10)[0].subjectId).toBe('S77');
    expect(shard.search([{ position: 8, template: impression(777) }], 5, 0)[0].subjectId).toBe('S77');
    // Searched as another finger, it may not be found: its own index is not read.
    expect(shard.firstStage({ position: 3, template: impression(777) }, 10).map((c) => c.subjectId)).not.toContain('S77');
    // A finger of unknown position is searched by every probe position.
    expect(shard.firstStage({ position: 1, template: impression(420) }, 10)[0].subjectId).toBe('S42');
    expect(shard.firstStage({ position: 6, template: impression(420) }, 10)[0].subjectId).toBe('S42');
    shard.remove('S77');
    expect(shard.firstStage({ position: 8, template: impression(777) }, 10).map((c) => c.subjectId)).not.toContain('S77');
  });

  it('scores a finger of unknown position, alone in its index, on the same scale as the many of the probe\'s position', () => {
    const shard = new GalleryShard();
    population.forEach((template, k) => shard.add(`S${k}`, k === 7 ? 0 : 1, encodeTemplate(template)));
    for (const seed of [7, 8, 9]) {
      const probe = prepareTemplate(transformTemplate(population[7], { rotation: 0.4, dx: 25, dy: -15, jitter: 2, keep: (m) => m.x + m.y > 120, seed }));
      expect(shard.firstStage({ position: 1, template: probe }, 10)[0].subjectId).toBe('S7');
    }
  });
});
