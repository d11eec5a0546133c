import { FITTED_CALIBRATION } from './fitted-calibration.ts';

/**
 * Score calibration: the false-match rate (FMR) a similarity score corresponds to, the share of
 * impostor comparisons that reach it.
 *
 * Where impostor comparisons were counted, the calibration is their survival curve itself, kept
 * as knots of (score, log10 FMR) and interpolated linearly in log10 FMR. Beyond the last knot,
 * where too few impostors reached a score to count it, it is extrapolated by an exponential tail:
 * log10 FMR falls linearly with the score, at the slope fitted to the last measured decades.
 * `npm run bench -- calibration --write` counts the impostors and writes `fitted-calibration.ts`.
 */
export interface ScoreCalibration {
  /** (score, log10 FMR), scores strictly increasing, log10 FMR strictly decreasing, the first at FMR ≤ 1. */
  knots: readonly (readonly [number, number])[];
  /** Score increase per decade of FMR beyond the last knot. */
  perDecade: number;
}

export function fmrForScore(score: number, calibration: ScoreCalibration = FITTED_CALIBRATION.scores): number {
  const { knots, perDecade } = calibration;
  if (score <= knots[0][0]) return Math.min(1, 10 ** knots[0][1]);
  const last = knots[knots.length - 1];
  if (score >= last[0]) return 10 ** (last[1] - (score - last[0]) / perDecade);
  let k = 1;
  while (knots[k][0] < score) k++;
  const [s0, l0] = knots[k - 1];
  const [s1, l1] = knots[k];
  return 10 ** (l0 + ((score - s0) / (s1 - s0)) * (l1 - l0));
}

export function scoreForFmr(fmr: number, calibration: ScoreCalibration = FITTED_CALIBRATION.scores): number {
  if (!(fmr > 0 && fmr <= 1)) throw new RangeError(`a false-match rate must lie in (0, 1], got ${fmr}`);
  const { knots, perDecade } = calibration;
  const target = Math.log10(fmr);
  if (target >= knots[0][1]) return knots[0][0];
  const last = knots[knots.length - 1];
  if (target <= last[1]) return last[0] + (last[1] - target) * perDecade;
  let k = 1;
  while (knots[k][1] > target) k++;
  const [s0, l0] = knots[k - 1];
  const [s1, l1] = knots[k];
  return s0 + ((target - l0) / (l1 - l0)) * (s1 - s0);
}

/** The FMR a finger must reach to count as evidence of a match at all: a 1-in-10 false match. */
export const EVIDENCE_FMR = 0.1;

/**
 * The least score that is evidence of a match: the score of FMR EVIDENCE_FMR. A finger
 * scoring less counts for nothing: fusion takes its FMR as 1, a gallery's ranking adds nothing
 * for it, and the matcher does not check such a pairing's ridge flow.
 */
export const LEAST_EVIDENCE_SCORE = scoreForFmr(EVIDENCE_FMR);

/** Impostors that must reach a score for its FMR to count as measured: a relative error of about 20%. */
export const LEAST_COUNT = 25;

/**
 * Fits a calibration to impostor scores: knots every quarter decade of FMR from 1 in 2 down to
 * the least FMR that LEAST_COUNT impostors measure, and a tail slope fitted by least squares to
 * the empirical curve over the last two measured decades.
 */
export function fitCalibration(impostorScores: ArrayLike<number>): ScoreCalibration {
  const sorted = Float64Array.from(impostorScores).sort().reverse();
  const n = sorted.length;
  const leastFmr = LEAST_COUNT / n;
  if (leastFmr > 1e-2) throw new RangeError(`too few impostor scores to calibrate: ${n}`);
  /** The score reached by a share `fmr` of impostors. */
  const reached = (fmr: number) => sorted[Math.max(0, Math.ceil(fmr * n) - 1)];
  const knots: [number, number][] = [];
  for (let quarter = Math.round(4 * Math.log10(0.5)); ; quarter--) {
    const log = quarter / 4;
    if (10 ** log < leastFmr) break;
    const score = reached(10 ** log);
    if (knots.length === 0 || score > knots[knots.length - 1][0]) knots.push([score, log]);
  }
  const lowest = knots[knots.length - 1][1];
  const points: [number, number][] = [];
  for (let k = 0; k < n; k++) {
    const log = Math.log10((k + 1) / n);
    if (log <= lowest + 2 && log >= lowest) points.push([sorted[k], log]);
  }
  return { knots: knots.map(([s, l]) => [round(s, 4), l]), perDecade: round(-1 / leastSquaresSlope(points), 4) };
}

/** Slope of y on x by least squares. */
export function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  return sxy / sxx;
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
