import type { ErrorRates } from '../src/biometrics/evaluation/error-rates.ts';
import { computeErrorRates } from '../src/biometrics/evaluation/error-rates.ts';
import { synthesizeInParallel, type CaptureDifficulty } from '../src/biometrics/synthetic/index.ts';
import type { GrayImage } from '../src/biometrics/gray-image.ts';
import { allPairScores, extractAll } from './pair-scores.ts';
import { jobsFor } from './synth.ts';

export const SYNTHETIC_SEED = 20170;

/**
 * A synthetic FVC-style set (`fingers` × `impressions`, seed SYNTHETIC_SEED) made, extracted and
 * compared pair by pair on every core: the FVC protocol's genuine and impostor scores (every
 * pair once) and their error rates.
 */
export async function syntheticSet(fingers: number, impressions: number, difficulty: CaptureDifficulty): Promise<{ genuine: Float32Array; impostor: Float32Array; rates: ErrorRates }> {
  const images: GrayImage[] = new Array(fingers * impressions);
  await synthesizeInParallel(jobsFor(SYNTHETIC_SEED, fingers, impressions, difficulty), (index, made) => made.forEach((image, k) => (images[index * impressions + k] = image)));
  const templates = await extractAll(images);
  const triangle = await allPairScores(templates);
  const n = templates.length;
  const genuine = new Float32Array((fingers * impressions * (impressions - 1)) / 2);
  const impostor = new Float32Array(triangle.length - genuine.length);
  let g = 0;
  let i = 0;
  let index = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++, index++) {
      if (Math.floor(a / impressions) === Math.floor(b / impressions)) genuine[g++] = triangle[index];
      else impostor[i++] = triangle[index];
    }
  }
  return { genuine, impostor, rates: computeErrorRates(Array.from(genuine), Array.from(impostor)) };
}
