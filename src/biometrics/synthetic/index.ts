import type { GrayImage } from '../gray-image.ts';
import { generateMaster, type MasterFingerprint } from './master-fingerprint.ts';
import { renderImpression } from './impression.ts';
import { mixSeed } from './random.ts';

export { generateMaster, type MasterFingerprint } from './master-fingerprint.ts';
export { renderImpression } from './impression.ts';
export { FINGER_CLASSES, type FingerClass } from './orientation-model.ts';

/** The master of one finger of a synthetic subject: ten distinct fingers per subject seed. */
export function subjectFinger(subjectSeed: number, position: number): MasterFingerprint {
  return generateMaster(mixSeed(subjectSeed, position));
}

/** Impression `impression` of each of a subject's ten fingers (positions 1–10). */
export function generateTenPrint(subjectSeed: number, impression: number, options: { rolled?: boolean; positions?: number[] } = {}): Map<number, GrayImage> {
  const prints = new Map<number, GrayImage>();
  for (const position of options.positions ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) {
    prints.set(position, renderImpression(subjectFinger(subjectSeed, position), mixSeed(subjectSeed, position, impression), { rolled: options.rolled }));
  }
  return prints;
}
