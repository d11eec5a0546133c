import { ConcordError } from '../../shared/errors.ts';
import { drawClass, drawOrientationModel, FINGER_CLASSES, orientationAt, type FingerClass, type SingularPoints } from './orientation-model.ts';
import { between, seededRandom, valueNoise } from './random.ts';
import { FULL_RESOLUTION, growRidges, HALF_RESOLUTION, kernelFor, refineRidges, upsampleTwice, type RidgeFlow } from './ridge-growth.ts';
import { blur121 } from './blur.ts';
import { drawSilhouette, silhouetteReach, type Silhouette } from './silhouette.ts';

/**
 * A master fingerprint, SFinGe-style: class → silhouette and singular points → orientation field
 * → ridge period map → ridges grown from random seeds by iterated Gabor filtering along that
 * field. The master is the finger itself; impressions are rendered from it.
 */
export interface MasterFingerprint {
  seed: number;
  fingerClass: FingerClass;
  singularPoints: SingularPoints;
  silhouette: Silhouette;
  width: number;
  height: number;
  /** Ridge map in [−1, 1], positive on ridges; 0 outside the finger. */
  ridges: Float32Array;
}

export interface MasterOptions {
  fingerClass?: FingerClass;
  width?: number;
  height?: number;
}

/** About the size of a plain impression on a 500 ppi sensor (FVC2002 DB1: 388 × 374). */
export const MASTER_WIDTH = 320;
export const MASTER_HEIGHT = 420;
const MIN_SIDE = 96;
const MAX_SIDE = 2048;
const REFINING_PASSES = 2;

export function generateMaster(seed: number, options: MasterOptions = {}): MasterFingerprint {
  const width = options.width ?? MASTER_WIDTH;
  const height = options.height ?? MASTER_HEIGHT;
  checkSeed(seed);
  for (const [name, side] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(side) || side < MIN_SIDE || side > MAX_SIDE) {
      throw new ConcordError('BAD_ARGUMENT', `master ${name} must be a whole number of pixels from ${MIN_SIDE} to ${MAX_SIDE}, got ${side}`, { field: name });
    }
  }
  if (options.fingerClass !== undefined && !FINGER_CLASSES.includes(options.fingerClass)) {
    throw new ConcordError('BAD_ARGUMENT', `unknown finger class "${String(options.fingerClass)}"; choose one of ${FINGER_CLASSES.join(', ')}`, { field: 'fingerClass' });
  }

  const random = seededRandom(seed);
  const fingerClass = options.fingerClass ?? drawClass(random);
  const silhouette = drawSilhouette(random, width, height);
  const model = drawOrientationModel(fingerClass, silhouette, random);

  // Ridge period: about 9 px at 500 ppi, a little denser towards the tip and the sides of the
  // finger, with a slow individual wobble.
  const basePeriod = between(random, 8.6, 10);
  const wobble = valueNoise(random, width, height, 96);
  const periodAt = (x: number, y: number, reach: number) => {
    const tip = y < silhouette.centreY ? ((silhouette.centreY - y) / silhouette.top) ** 2 : 0;
    const i = Math.min(height - 1, Math.round(y)) * width + Math.min(width - 1, Math.round(x));
    return basePeriod * (1 - 0.1 * reach * reach - 0.06 * tip) + 0.5 * wobble[i];
  };
  const flowAt = (scale: 1 | 2): RidgeFlow => {
    const bank = scale === 1 ? FULL_RESOLUTION : HALF_RESOLUTION;
    const w = Math.ceil(width / scale);
    const h = Math.ceil(height / scale);
    const kernel = new Uint16Array(w * h);
    const inside = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const fx = scale * x + (scale - 1) / 2;
        const fy = scale * y + (scale - 1) / 2;
        const reach = silhouetteReach(silhouette, fx, fy);
        if (reach >= 1) continue;
        inside[y * w + x] = 1;
        kernel[y * w + x] = kernelFor(bank, orientationAt(model, silhouette, fx, fy), periodAt(fx, fy, reach) / scale);
      }
    }
    return { width: w, height: h, bank, kernel, inside };
  };

  const seeds = Math.max(1, Math.round(between(random, 6, 14) * ((width * height) / (MASTER_WIDTH * MASTER_HEIGHT))));
  const half = flowAt(2);
  const grown = growRidges(half, seeds, random);
  const sharp = refineRidges(flowAt(1), upsampleTwice(grown, half.width, half.height, width, height), REFINING_PASSES);
  // Soften the clipped ridges a little, so that pressure can thicken or thin them in impressions.
  const ridges = blur121(blur121(sharp, width, height), width, height);
  return { seed, fingerClass, singularPoints: model.points, silhouette, width, height, ridges };
}

export function checkSeed(seed: number, name = 'seed'): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new ConcordError('BAD_ARGUMENT', `${name} must be a whole number from 0 to 4294967295, got ${seed}`, { field: name });
  }
}
