import { ConcordError } from '../../shared/errors.ts';
import type { FaceTemplate } from './face-template.ts';

/**
 * 1:1 face comparison: the Euclidean distance between descriptors, a match at or below the
 * threshold. The threshold's false-match rate is what `npm run bench -- faces` measured on the
 * only impostor pairs to be had offline (faces of different people in the same sample photo);
 * it is stated with how few pairs it rests on, and an upper bound at 95% confidence.
 */
export const FACE_MATCH_THRESHOLD = 0.45;

export const FACE_CALIBRATION = {
  measured: '2026-12-05',
  impostorPairs: 29,
  impostorsAtOrBelow: 0,
  genuinePairs: 79,
  genuineAbove: 1,
} as const;

/** The threshold's false-match rate as measured, in words an officer and an auditor can check. */
export function faceFmrStatement(calibration: { impostorPairs: number; impostorsAtOrBelow: number } = FACE_CALIBRATION): string {
  const { impostorPairs: n, impostorsAtOrBelow: k } = calibration;
  // With no false match seen, 3/n bounds the rate at 95% confidence (the rule of three).
  const bound = k === 0 ? 3 / n : (k + 2 * Math.sqrt(k)) / n;
  return `FMR ${k}/${n} measured at distance ≤ ${FACE_MATCH_THRESHOLD} (at most ${(100 * bound).toFixed(1)}% at 95% confidence): ${n} impostor pairs is very little evidence`;
}

export interface FaceComparison {
  readonly distance: number;
  readonly match: boolean;
  readonly threshold: number;
  readonly fmr: string;
}

export function faceDistance(a: FaceTemplate, b: FaceTemplate): number {
  if (a.generation !== b.generation) throw new ConcordError('TEMPLATE_GENERATION', `face templates of model generations ${a.generation} and ${b.generation} cannot be compared; re-extract the older`, { a: a.generation, b: b.generation });
  let sum = 0;
  for (let i = 0; i < a.descriptor.length; i++) sum += (a.descriptor[i] - b.descriptor[i]) ** 2;
  return Math.sqrt(sum);
}

export function compareFaces(a: FaceTemplate, b: FaceTemplate): FaceComparison {
  const distance = faceDistance(a, b);
  return { distance: Math.round(distance * 1000) / 1000, match: distance <= FACE_MATCH_THRESHOLD, threshold: FACE_MATCH_THRESHOLD, fmr: faceFmrStatement() };
}
