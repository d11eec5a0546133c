import { EVIDENCE_FMR, fmrForScore } from './calibration.ts';
import { FITTED_CALIBRATION } from './fitted-calibration.ts';


/**
 * Fuses per-finger scores of one subject into one false-match rate: each score calibrated to its
 * own FMR, then `fuseFalseMatchRates`.
 */
export function fuseFingerScores(scores: readonly number[], weight = FITTED_CALIBRATION.fusion.weight): number {
  return fuseFalseMatchRates(
    scores.map((score) => fmrForScore(score)),
    weight,
  );
}

/**
 * Fuses per-finger false-match rates (p-values under the impostor hypothesis) with a weighted
 * form of Fisher's method. For independent fingers −2 Σ ln pᵢ follows χ² with 2k degrees of
 * freedom, and Fisher's method is exact. Impostor fingers are not independent (a sensor, a skin
 * condition, a generator lift the scores of all fingers of one capture together), so every
 * finger but the strongest adds its term weighted by `weight` ≤ 1, measured on two-finger
 * impostor comparisons so that the fused FMR they are given is not below the share of them that
 * reach it (`npm run bench -- calibration`). One finger alone keeps its own calibrated FMR. A
 * plain product of FMRs would call every ten-finger impostor a match. A finger whose FMR is above
 * EVIDENCE_FMR counts as FMR 1: its term is then at most what it would have been, so the fused
 * FMR can only err high (the safe side) where calibration does not reach.
 */
export function fuseFalseMatchRates(fmrs: readonly number[], weight = FITTED_CALIBRATION.fusion.weight): number {
  if (fmrs.length === 0) return 1;
  const terms = fmrs.map((fmr) => (fmr <= EVIDENCE_FMR ? -2 * Math.log(Math.max(fmr, 1e-300)) : 0)).sort((a, b) => b - a);
  let statistic = terms[0];
  for (let k = 1; k < terms.length; k++) statistic += weight * terms[k];
  return chiSquareSurvivalEvenDof(statistic, 2 * fmrs.length);
}

/**
 * The fused false-match rate of every finger but the best-scoring one (1 for a single finger):
 * what the evidence is worth if the strongest finger is set aside. Fusion trusts each finger's
 * calibrated tail, and the tail is least sure exactly where one finger scores far beyond the
 * rest (extrapolated past what any impostor set measured, and heavier than calibrated on some
 * populations); evidence that still holds without that finger does not rest on it.
 */
export function fuseWithoutBest(scores: readonly number[], weight = FITTED_CALIBRATION.fusion.weight): number {
  if (scores.length < 2) return 1;
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k] > scores[best]) best = k;
  return fuseFingerScores(
    scores.filter((_, k) => k !== best),
    weight,
  );
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
