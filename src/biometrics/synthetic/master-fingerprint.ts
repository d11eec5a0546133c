import { blockGrid } from '../extraction/block-grid.ts';
import { enhanceRidges } from '../extraction/gabor-enhancement.ts';
import type { OrientationField } from '../extraction/orientation-field.ts';
import type { ForegroundMask } from '../extraction/segmentation.ts';
import { drawClass, orientationAt, singularPointsFor, type FingerClass, type SingularPoints } from './orientation-model.ts';
import { gaussian, seededRandom } from './random.ts';

/**
 * A master fingerprint, SFinGe-style: class → singular points → orientation field → ridge period
 * map → ridges grown from random seeds by iterated Gabor filtering along that field. The
 * minutiae are wherever growing ridges happened to meet or stop: they arise from the pattern.
 */
export interface MasterFingerprint {
  seed: number;
  fingerClass: FingerClass;
  singularPoints: SingularPoints;
  width: number;
  height: number;
  /** Ridge map in [−1, 1], positive on ridges; 0 outside the finger. */
  ridges: Float32Array;
}

export const MASTER_WIDTH = 320;
export const MASTER_HEIGHT = 420;
const GROWTH_ITERATIONS = 5;

export function generateMaster(seed: number, options: { fingerClass?: FingerClass } = {}): MasterFingerprint {
  const random = seededRandom(seed);
  const width = MASTER_WIDTH;
  const height = MASTER_HEIGHT;
  const fingerClass = options.fingerClass ?? drawClass(random);
  const singularPoints = singularPointsFor(fingerClass, width, height, random);

  const grid = blockGrid(width, height);
  const blocks = grid.columns * grid.rows;
  const angle = new Float32Array(blocks);
  const period = new Float32Array(blocks);
  const inside = new Uint8Array(blocks);
  const basePeriod = 8.2 + random() * 1.8;
  const periodTilt = (random() - 0.5) * 1.2;
  for (let by = 0; by < grid.rows; by++) {
    for (let bx = 0; bx < grid.columns; bx++) {
      const b = by * grid.columns + bx;
      const x = bx * grid.size + grid.size / 2;
      const y = by * grid.size + grid.size / 2;
      angle[b] = orientationAt(fingerClass, singularPoints, x, y, width, height);
      // Ridges run a little denser towards the finger tip and the sides.
      period[b] = basePeriod + periodTilt * (y / height - 0.5) - 0.8 * Math.abs(x / width - 0.5);
      const ex = (x - width / 2) / (width * 0.5);
      const ey = (y - height * 0.52) / (height * 0.5);
      inside[b] = ex * ex + ey * ey <= 1 ? 1 : 0;
    }
  }
  const field: OrientationField = { grid, angle, coherence: new Float32Array(blocks).fill(1), energy: new Float32Array(blocks).fill(1) };
  let count = 0;
  for (let b = 0; b < blocks; b++) count += inside[b];
  const mask: ForegroundMask = { grid, blocks: inside, foregroundBlocks: count };

  // Sparse random seeds; each pass of oriented filtering grows them along the field.
  let image: Float32Array = new Float32Array(width * height);
  for (let i = 0; i < image.length; i++) image[i] = random() < 0.02 ? gaussian(random) * 3 : 0;
  for (let iteration = 0; iteration < GROWTH_ITERATIONS; iteration++) {
    const filtered = enhanceRidges(image, width, height, field, period, mask);
    let energy = 0;
    for (let i = 0; i < filtered.length; i++) energy += filtered[i] * filtered[i];
    const scale = 2.5 / Math.sqrt(energy / filtered.length + 1e-12);
    for (let i = 0; i < filtered.length; i++) filtered[i] = Math.tanh(filtered[i] * scale);
    image = filtered;
  }
  return { seed, fingerClass, singularPoints, width, height, ridges: image };
}
