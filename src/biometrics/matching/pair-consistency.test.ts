import { describe, expect, it } from 'vitest';
import { transformTemplate } from '../testing/fixtures.ts';
import { populationTemplate } from '../population/population-template.ts';
import { minutiaPairs, pointsOf } from './pair-features.ts';
import { PairIndex } from './pair-index.ts';
import { ProbeLayout } from './pair-consistency.ts';

describe('ProbeLayout', () => {
  it('scores a turned and shifted impression of a finger above every stranger, and the same impression shifted off the print at nothing', () => {
    const fingers = Array.from({ length: 300 }, (_, k) => populationTemplate(k + 1));
    const index = new PairIndex();
    fingers.forEach((template, slot) => index.add(slot, minutiaPairs(pointsOf(template.minutiae))));
    const weight = index.cellWeights();
    const score = (probe: ReturnType<typeof pointsOf>, template: (typeof fingers)[number]) => {
      const points = pointsOf(template.minutiae);
      return new ProbeLayout(probe, minutiaPairs(probe)).score(points, minutiaPairs(points), weight);
    };
    for (const mate of [5, 150]) {
      const probe = pointsOf(transformTemplate(fingers[mate], { rotation: -0.7, dx: 40, dy: 30, jitter: 2, keep: (m) => m.y > 60, seed: mate }).minutiae);
      const mateScore = score(probe, fingers[mate]);
      const strangers = fingers.filter((_, k) => k !== mate).map((template) => score(probe, template));
      expect(mateScore).toBeGreaterThan(Math.max(...strangers));
    }
    // Far beyond the shifts a print can make, no motion is voted for.
    const far = pointsOf(fingers[5].minutiae.map((m) => ({ ...m, x: m.x + 2000 })));
    expect(score(far, fingers[5])).toBe(0);
  });
});
