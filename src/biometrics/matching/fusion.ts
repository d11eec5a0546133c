import { fmrForScore, LEAST_EVIDENCE_SCORE } from './calibration.ts';

/**
 * Fuses per-finger scores of one subject into one false-match rate. Each finger's score is first
 * calibrated to its own FMR (a p-value under the impostor hypothesis); independent p-values are
 * combined with Fisher's method: −2 Σ ln pᵢ follows χ² with 2k degrees of freedom. A plain
 * product of FMRs would call every ten-finger impostor a match. A finger scoring below
 * LEAST_EVIDENCE_SCORE counts as FMR 1: its term is then at most what it would have been, so the
 * fused FMR can only err high (the safe side) where calibration does not reach.
 */
export function fuseFingerScores(scores: readonly number[]): number {
  if (scores.length === 0) return 1;
  let statistic = 0;
  for (const score of scores) if (score >= LEAST_EVIDENCE_SCORE) statistic -= 2 * Math.log(Math.max(fmrForScore(score), 1e-300));
  return chiSquareSurvivalEvenDof(statistic, 2 * scores.length);
}

/**
 * The fused false-match rate of every finger but the best-scoring one (1 for a single finger):
 * what the evidence is worth if the strongest finger is set aside. Fusion trusts each finger's
 * calibrated tail, and the tail is least sure exactly where one finger scores far beyond the
 * rest (extrapolated past what any impostor set measured, and heavier than calibrated on some
 * populations); evidence that still holds without that finger does not rest on it.
 */
export function fuseWithoutBest(scores: readonly number[]): number {
  if (scores.length < 2) return 1;
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
  return fuseFingerScores(scores.filter((_, k) => k !== best));
}

/** P(χ²_dof > x) for even dof: e^(−x/2) Σ_{j<dof/2} (x/2)^j / j!. */
function chiSquareSurvivalEvenDof(x: number, dof: number): number {
  const half = x / 2;
  let term = 1;
  let sum = 1;
  for (let j = 1; j < dof / 2; j++) {
    term *= half / j;
    sum += term;
  }
  return Math.min(1, Math.exp(-half) * sum);
}
