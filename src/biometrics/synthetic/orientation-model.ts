import type { Random } from './random.ts';

/**
 * Fingerprint classes and their singular points, and the orientation field they induce (the
 * zero-pole model of Sherlock and Monro: each core turns the ridges by half a turn around it,
 * each delta by minus half a turn). Coordinates in pixels, angles in image coordinates.
 */
export type FingerClass = 'arch' | 'tented_arch' | 'left_loop' | 'right_loop' | 'whorl';
export const FINGER_CLASSES: readonly FingerClass[] = ['arch', 'tented_arch', 'left_loop', 'right_loop', 'whorl'];

/** Approximate class frequencies in the population (Henry classes, as SFinGe uses). */
const FREQUENCIES: [FingerClass, number][] = [['arch', 0.037], ['tented_arch', 0.029], ['left_loop', 0.338], ['right_loop', 0.317], ['whorl', 0.279]];

export interface SingularPoints {
  cores: { x: number; y: number }[];
  deltas: { x: number; y: number }[];
}

export function drawClass(random: Random): FingerClass {
  let r = random();
  for (const [fingerClass, p] of FREQUENCIES) if ((r -= p) < 0) return fingerClass;
  return 'whorl';
}

export function singularPointsFor(fingerClass: FingerClass, width: number, height: number, random: Random): SingularPoints {
  const cx = width / 2 + (random() - 0.5) * width * 0.15;
  const cy = height * (0.42 + (random() - 0.5) * 0.12);
  const gap = height * (0.25 + random() * 0.08);
  switch (fingerClass) {
    case 'arch':
      return { cores: [], deltas: [] };
    case 'tented_arch':
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx + (random() - 0.5) * 10, y: cy + gap * 0.8 }] };
    case 'left_loop':
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx + width * 0.28, y: cy + gap }] };
    case 'right_loop':
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx - width * 0.28, y: cy + gap }] };
    case 'whorl': {
      const spread = 12 + random() * 14;
      const tilt = (random() - 0.5) * 0.8;
      return {
        cores: [{ x: cx - spread * Math.sin(tilt), y: cy - spread * Math.cos(tilt) }, { x: cx + spread * Math.sin(tilt), y: cy + spread * Math.cos(tilt) }],
        deltas: [{ x: cx - width * 0.3, y: cy + gap }, { x: cx + width * 0.3, y: cy + gap }],
      };
    }
  }
}

/** Ridge orientation at (x, y), in [0, π). */
export function orientationAt(fingerClass: FingerClass, points: SingularPoints, x: number, y: number, width: number, height: number): number {
  let angle: number;
  if (fingerClass === 'arch') {
    // Ridges bow upwards over the centre of the finger, flatter towards the tip and the joint.
    const u = (x - width / 2) / (width / 2);
    const v = Math.max(0, 1 - Math.abs(y - height * 0.55) / (height * 0.6));
    angle = Math.atan(-1.1 * v * u * Math.exp(-u * u));
  } else {
    let sum = 0;
    for (const c of points.cores) sum += Math.atan2(y - c.y, x - c.x);
    for (const d of points.deltas) sum -= Math.atan2(y - d.y, x - d.x);
    angle = 0.5 * sum;
  }
  angle %= Math.PI;
  return angle < 0 ? angle + Math.PI : angle;
}
