import { ConcordError } from '../../shared/errors.ts';
import type { GrayImage } from '../gray-image.ts';
import { renderImpression } from './impression.ts';
import { checkSeed, generateMaster, type MasterFingerprint } from './master-fingerprint.ts';
import { drawClass, type FingerClass } from './orientation-model.ts';
import { mixSeed, seededRandom } from './random.ts';

/**
 * Ten-print sets: a subject seed gives ten distinct fingers, ANSI/NIST positions 1–10 (1–5 right
 * thumb to little finger, 6–10 left). Classes are drawn per finger: whorls are commoner on thumbs
 * and ring fingers, arches on index fingers, and most loops open towards the little finger (ulnar
 * loops), which shows as right loops on the right hand and left loops on the left hand. The
 * figures are approximate and average out to the population frequencies of the classes.
 */
export const FINGER_POSITIONS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Per finger (thumb … little): [arch, tented arch, loop, whorl], and the share of loops that are ulnar. */
const BY_FINGER: readonly { arch: number; tented: number; loop: number; whorl: number; ulnar: number }[] = [
  { arch: 0.02, tented: 0.02, loop: 0.5, whorl: 0.46, ulnar: 0.95 },
  { arch: 0.1, tented: 0.1, loop: 0.5, whorl: 0.3, ulnar: 0.7 },
  { arch: 0.05, tented: 0.03, loop: 0.72, whorl: 0.2, ulnar: 0.95 },
  { arch: 0.02, tented: 0.01, loop: 0.57, whorl: 0.4, ulnar: 0.97 },
  { arch: 0.01, tented: 0.01, loop: 0.83, whorl: 0.15, ulnar: 0.98 },
];

export interface TenPrintOptions {
  rolled?: boolean;
  /** Only these finger positions (default all ten). */
  positions?: readonly number[];
}

export function fingerClassFor(subjectSeed: number, position: number): FingerClass {
  const f = BY_FINGER[(position - 1) % 5];
  const rightHand = position <= 5;
  const ulnar: FingerClass = rightHand ? 'right_loop' : 'left_loop';
  const radial: FingerClass = rightHand ? 'left_loop' : 'right_loop';
  return drawClass(seededRandom(mixSeed(subjectSeed, position, 0x636c6173)), [
    ['arch', f.arch],
    ['tented_arch', f.tented],
    [ulnar, f.loop * f.ulnar],
    [radial, f.loop * (1 - f.ulnar)],
    ['whorl', f.whorl],
  ]);
}

/** The master of one finger of a synthetic subject. */
export function subjectFinger(subjectSeed: number, position: number): MasterFingerprint {
  checkSeed(subjectSeed, 'subjectSeed');
  checkPosition(position);
  return generateMaster(mixSeed(subjectSeed, position), { fingerClass: fingerClassFor(subjectSeed, position) });
}

/** Impression number `impression` of a subject's fingers, by finger position. */
export function generateTenPrint(subjectSeed: number, impression: number, options: TenPrintOptions = {}): Map<number, GrayImage> {
  checkSeed(subjectSeed, 'subjectSeed');
  checkSeed(impression, 'impression');
  const prints = new Map<number, GrayImage>();
  for (const position of options.positions ?? FINGER_POSITIONS) {
    const seed = options.rolled ? mixSeed(subjectSeed, position, impression, 1) : mixSeed(subjectSeed, position, impression);
    prints.set(position, renderImpression(subjectFinger(subjectSeed, position), seed, { rolled: options.rolled }));
  }
  return prints;
}

function checkPosition(position: number): void {
  if (!Number.isInteger(position) || position < 1 || position > 10) {
    throw new ConcordError('BAD_ARGUMENT', `finger position must be 1 to 10 (ANSI/NIST), got ${position}`, { field: 'position' });
  }
}
