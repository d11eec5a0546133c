import { describe, expect, it } from 'vitest';
import { transformTemplate } from '../testing/fixtures.ts';
import { populationTemplate } from '../population/population-template.ts';
import type { FingerprintTemplate } from '../template.ts';
import { minutiaPairs, pointsOf } from './pair-features.ts';
import { CELLS } from './pair-features.ts';
import { shiftProbe, shiftScore } from './shift-votes.ts';

const weight = new Float32Array(CELLS).fill(1);
const strangers = Array.from({ length: 300 }, (_, k) => populationTemplate(50_000 + k));
const finger = populationTemplate(12);

function score(probe: FingerprintTemplate, gallery: FingerprintTemplate): number {
  const probePoints = pointsOf(probe.minutiae);
  const galleryPoints = pointsOf(gallery.minutiae);
  return shiftScore(shiftProbe(minutiaPairs(probePoints), probePoints, weight), galleryPoints, minutiaPairs(galleryPoints));
}

describe('shiftScore', () => {
  it('scores an impression of a finger above every stranger however far it is turned and moved', () => {
    const strangerBest = Math.max(...strangers.map((stranger) => score(finger, stranger)));
    for (const [rotation, dx, dy] of [[0, 0, 0], [0.7, 60, -40], [-2.4, -150, 90], [3.1, 200, 200]]) {
      const probe = transformTemplate(finger, { rotation, dx, dy, jitter: 2, keep: (m) => m.x > 60, seed: 3 });
      expect(score(probe, finger)).toBeGreaterThan(strangerBest + 2);
    }
  });

  it('counts only the pairs that agree on where the finger lies, not only on its turn', () => {
    // The same finger with each half moved 96 px apart: the pairs within a half keep their shape and
    // their turn, as the pair index sees them, but the halves no longer agree on one shift.
    const split = (m: { x: number }) => m.x < finger.width / 2;
    const torn = { ...finger, minutiae: finger.minutiae.map((m) => (split(m) ? { ...m, y: m.y + 96 } : m)) };
    const probe = transformTemplate(finger, { rotation: 0.3, dx: 20, dy: 10, jitter: 1, seed: 5 });
    const whole = score(probe, finger);
    const halves = score(probe, torn);
    expect(halves).toBeLessThan(0.8 * whole);
  });
});
