import { between, type Random } from './random.ts';
import type { Silhouette } from './silhouette.ts';

/**
 * Fingerprint classes, their singular points, and the orientation field they induce: the
 * zero-pole model of Sherlock and Monro (each core turns the ridges by half a turn around it,
 * each delta by minus half a turn), with each point's angular contribution bent by a small
 * random monotone correction, as Vizcaya and Gerhardt and SFinGe do, so that two loops are not
 * the same loop. Arches have no singular points and get a field of their own. Coordinates in
 * pixels, y down; orientations in image coordinates, in [0, π).
 */
export type FingerClass = 'arch' | 'tented_arch' | 'left_loop' | 'right_loop' | 'whorl';
export const FINGER_CLASSES: readonly FingerClass[] = ['arch', 'tented_arch', 'left_loop', 'right_loop', 'whorl'];

/** Class frequencies in the population (Henry classes, the figures SFinGe uses after Wilson et al.). */
export const CLASS_FREQUENCIES: readonly (readonly [FingerClass, number])[] = [
  ['arch', 0.037],
  ['tented_arch', 0.029],
  ['left_loop', 0.338],
  ['right_loop', 0.317],
  ['whorl', 0.279],
];

export interface SingularPoint {
  x: number;
  y: number;
}

export interface SingularPoints {
  cores: SingularPoint[];
  deltas: SingularPoint[];
}

/** Everything that decides a master's ridge flow; plain numbers, so it can cross worker threads. */
export interface OrientationModel {
  fingerClass: FingerClass;
  points: SingularPoints;
  /** Per singular point (cores first): amplitudes and phases of the angular correction. */
  bends: { first: number; firstPhase: number; second: number; secondPhase: number }[];
  /** A small tilt of the whole flow. */
  tilt: number;
  /** Arch shape: height of the hump and its position. */
  archHump: number;
  archCentreY: number;
}

export function drawClass(random: Random, frequencies: readonly (readonly [FingerClass, number])[] = CLASS_FREQUENCIES): FingerClass {
  let total = 0;
  for (const [, p] of frequencies) total += p;
  let r = random() * total;
  for (const [fingerClass, p] of frequencies) if ((r -= p) < 0) return fingerClass;
  return frequencies[frequencies.length - 1][0];
}

export function drawOrientationModel(fingerClass: FingerClass, s: Silhouette, random: Random): OrientationModel {
  const points = singularPointsFor(fingerClass, s, random);
  const bends = [...points.cores, ...points.deltas].map(() => ({
    first: between(random, 0, 0.22),
    firstPhase: between(random, 0, 2 * Math.PI),
    second: between(random, 0, 0.1),
    secondPhase: between(random, 0, 2 * Math.PI),
  }));
  return {
    fingerClass,
    points,
    bends,
    tilt: between(random, -0.1, 0.1),
    archHump: between(random, 0.8, 1.5),
    archCentreY: s.centreY + between(random, -0.1, 0.15) * s.top,
  };
}

function singularPointsFor(fingerClass: FingerClass, s: Silhouette, random: Random): SingularPoints {
  const cx = s.centreX + between(random, -0.12, 0.12) * s.halfWidth;
  const cy = s.centreY + between(random, -0.22, 0.05) * s.top;
  const drop = s.top * between(random, 0.42, 0.62);
  const side = s.halfWidth * between(random, 0.5, 0.75);
  switch (fingerClass) {
    case 'arch':
      return { cores: [], deltas: [] };
    case 'tented_arch': {
      const gap = s.top * between(random, 0.2, 0.32);
      return { cores: [{ x: cx, y: cy }], deltas: [{ x: cx + between(random, -0.08, 0.08) * s.halfWidth, y: cy + gap }] };
    }
    // A left loop's ridges enter and leave on the left, so its delta lies on the right.
    case 'left_loop':
      return { cores: [{ x: cx - 0.15 * side, y: cy }], deltas: [{ x: cx + side, y: cy + drop }] };
    case 'right_loop':
      return { cores: [{ x: cx + 0.15 * side, y: cy }], deltas: [{ x: cx - side, y: cy + drop }] };
    case 'whorl': {
      const spread = s.top * between(random, 0.05, 0.12);
      const turn = between(random, -0.6, 0.6);
      const lean = between(random, -0.15, 0.15) * s.halfWidth;
      return {
        cores: [
          { x: cx - spread * Math.sin(turn), y: cy - spread * Math.cos(turn) },
          { x: cx + spread * Math.sin(turn), y: cy + spread * Math.cos(turn) },
        ],
        deltas: [
          { x: cx - side * between(random, 0.95, 1.15) + lean, y: cy + drop * between(random, 0.9, 1.15) },
          { x: cx + side * between(random, 0.95, 1.15) + lean, y: cy + drop * between(random, 0.9, 1.15) },
        ],
      };
    }
  }
}

/** Ridge orientation at (x, y), in [0, π). */
export function orientationAt(model: OrientationModel, s: Silhouette, x: number, y: number): number {
  let angle: number;
  if (model.fingerClass === 'arch') {
    // Ridges bow upwards over the middle of the finger, flatter towards the tip and the joint.
    const u = (x - s.centreX) / s.halfWidth;
    const v = Math.max(0, 1 - Math.abs(y - model.archCentreY) / (1.3 * s.top));
    angle = Math.atan(-model.archHump * v * u * Math.exp(-1.2 * u * u));
  } else {
    let sum = 0;
    let k = 0;
    for (const c of model.points.cores) sum += bent(Math.atan2(y - c.y, x - c.x), model.bends[k++]);
    for (const d of model.points.deltas) sum -= bent(Math.atan2(y - d.y, x - d.x), model.bends[k++]);
    angle = 0.5 * sum;
  }
  angle += model.tilt;
  angle %= Math.PI;
  return angle < 0 ? angle + Math.PI : angle;
}

/** A monotone bend of a point's angle (amplitudes small enough to keep it monotone). */
function bent(alpha: number, b: OrientationModel['bends'][number]): number {
  return alpha + b.first * Math.sin(alpha - b.firstPhase) + b.second * Math.sin(2 * alpha - b.secondPhase);
}
