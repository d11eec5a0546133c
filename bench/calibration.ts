import { writeFile } from 'node:fs/promises';
import { fitCalibration, fmrForScore, leastSquaresSlope, LEAST_COUNT, scoreForFmr, type ScoreCalibration } from '../src/biometrics/matching/calibration.ts';
import { fuseFalseMatchRates } from '../src/biometrics/matching/fusion.ts';
import type { FittedCalibration } from '../src/biometrics/matching/fitted-calibration-type.ts';
import { FITTED_CALIBRATION } from '../src/biometrics/matching/fitted-calibration.ts';
import { IDENTIFIED_FMR, POSSIBLE_FMR } from '../src/repositories/shared/identification.ts';
import { NO_FLOW_SCALE } from '../src/biometrics/matching/compare-templates.ts';
import { developmentScores, forEachImpostor, type DevelopmentScores } from './development-scores.ts';
import { allPairScores } from './pair-scores.ts';
import { twoFingerScores } from './two-finger.ts';
import { optionValue, type Row } from './table.ts';
import { syntheticSet } from './synthetic-set.ts';

const FITTED_FILE = new URL('../src/biometrics/matching/fitted-calibration.ts', import.meta.url);
/** Gallery sizes the workflows' thresholds are judged at. */
export const GALLERY_SIZES = [1e4, 1e6, 1e8];
const exp = (x: number) => x.toExponential(1);

/**
 * Where the score calibration and the fusion weight come from, and what they promise at gallery
 * scale (`--synthetic-fingers N` also checks the fit on a realistic synthetic set). Every impostor pair of the four development sets (within a set and across sets, about
 * 3.2 million, each pair of fingers of different people) gives one finger's score → FMR; the
 * virtual two-finger people of the same sets give the fusion weight; the fused FMRs of their
 * impostor comparisons, measured and then extrapolated, give the false-positive identification
 * rate per search (FPIR) at 10⁴, 10⁶ and 10⁸ subjects. With `--write`, the calibration and
 * weight are written to src/biometrics/matching/fitted-calibration.ts.
 */
export async function runCalibrationBench(flags: Readonly<Record<string, string | true>> = {}): Promise<{ title: string; rows: Row[] }[]> {
  const scores = await developmentScores();
  if (scores.sets.length < 4) return [{ title: 'Score calibration', rows: [{ measure: scores.missing.join(', '), value: 'not found: set CONCORD_DATASETS' }] }];

  const impostors: number[] = [];
  let crossSet = 0;
  forEachImpostor(scores, () => true, (a, b, score) => {
    impostors.push(score);
    if (scores.entries[a].set !== scores.entries[b].set) crossSet++;
  });
  const calibration = fitCalibration(impostors);
  const two = twoFingerScores(scores);
  const fmrs = perFingerFmrs(two.impostor, calibration);
  const weight = fitFusionWeight(fmrs);
  const fitted: FittedCalibration = {
    scores: calibration,
    fusion: { weight },
    source: `${impostors.length.toLocaleString('en-US')} impostor comparisons of ${scores.sets.map((s) => s.name).join(', ')} (${crossSet.toLocaleString('en-US')} across sets); fusion weight from ${(fmrs.length / 2).toLocaleString('en-US')} two-finger impostor comparisons`,
  };
  if (flags.write === true) await writeFile(FITTED_FILE, fittedSource(fitted));

  const sorted = Float64Array.from(impostors).sort().reverse();
  const reached = (fmr: number) => sorted[Math.ceil(fmr * sorted.length) - 1].toFixed(2);
  const levels = [1e-1, 1e-2, 1e-3, 1e-4, 1e-5];
  const rows: Row[] = [
    { measure: 'impostor comparisons (one finger)', value: impostors.length.toLocaleString('en-US'), detail: `${crossSet.toLocaleString('en-US')} across sets, ${(impostors.length - crossSet).toLocaleString('en-US')} within` },
    { measure: 'score reached by 1e-1 … 1e-5 of impostors', value: levels.map(reached).join(' / '), detail: `measured to FMR ${exp(LEAST_COUNT / impostors.length)} (${LEAST_COUNT} impostors); beyond, +${calibration.perDecade.toFixed(2)} per decade` },
    { measure: 'the same in use now', value: levels.map((l) => scoreForFmr(l, FITTED_CALIBRATION.scores).toFixed(2)).join(' / '), detail: FITTED_CALIBRATION.source },
    { measure: 'fusion weight of every finger but the best', value: weight.toFixed(2), detail: `in use: ${FITTED_CALIBRATION.fusion.weight}; 1 is Fisher's method (independent fingers)` },
    await noFlowRow(scores, sorted),
    ...fusedRows(fmrs, weight),
    ...leaveOneSetOut(scores),
  ];
  const syntheticFingers = optionValue(flags, 'synthetic-fingers', 0);
  if (syntheticFingers > 0) {
    const { impostor } = await syntheticSet(syntheticFingers, 8, 'realistic');
    const stated = [1e-2, 1e-3, 1e-4, 1e-5];
    const reachedShare = stated.map((fmr) => {
      const threshold = scoreForFmr(fmr, calibration);
      return exp(impostor.filter((score) => score >= threshold).length / impostor.length);
    });
    rows.push({
      measure: `realistic synthetic ${syntheticFingers} × 8: FMR stated 1e-2 / 1e-3 / 1e-4 / 1e-5 → measured`,
      value: reachedShare.join(' / '),
      detail: `${impostor.length.toLocaleString('en-US')} impostor comparisons, not in the fit`,
    });
  }
  return [{ title: `Score calibration and fusion (${flags.write === true ? 'written to' : 'not written; --write writes'} fitted-calibration.ts)`, rows }, fpirTable(fmrs, weight)];
}

/**
 * Where NO_FLOW_SCALE comes from: the score 1% of impostors reach with the templates'
 * orientation maps, over the score they reach without (unscaled), on the same pairs.
 */
async function noFlowRow(scores: DevelopmentScores, withMaps: Float64Array): Promise<Row> {
  const bare = await allPairScores(scores.entries.map((entry) => ({ ...entry.template, orientation: undefined })));
  const without: number[] = [];
  forEachImpostor(scores, () => true, (a, b) => without.push(bare[scores.pairIndex(a, b)] / NO_FLOW_SCALE));
  without.sort((x, y) => y - x);
  const at1 = (sorted: ArrayLike<number>) => sorted[Math.ceil(0.01 * sorted.length) - 1];
  return { measure: 'score reached by 1% of impostors with maps / without (unscaled)', value: `${at1(withMaps).toFixed(2)} / ${at1(without).toFixed(2)} = ${(at1(withMaps) / at1(without)).toFixed(3)}`, detail: `in use: NO_FLOW_SCALE ${NO_FLOW_SCALE}` };
}

/** Each finger's FMR of two-finger comparisons, two per comparison. */
function perFingerFmrs(pairScores: Float32Array, calibration: ScoreCalibration): Float64Array {
  return Float64Array.from(pairScores, (score) => fmrForScore(score, calibration));
}

function fusedOf(fmrs: Float64Array, weight: number): Float64Array {
  const fused = new Float64Array(fmrs.length / 2);
  for (let k = 0; k < fused.length; k++) fused[k] = fuseFalseMatchRates([fmrs[2 * k], fmrs[2 * k + 1]], weight);
  return fused;
}

/** Quarter-decade levels t from 1e-1 down to what LEAST_COUNT comparisons measure, and the share of fused FMRs at or below each. */
function survival(fused: Float64Array): [number, number][] {
  const sorted = Float64Array.from(fused).sort();
  const points: [number, number][] = [];
  for (let quarter = -4; 10 ** (quarter / 4) * sorted.length >= LEAST_COUNT; quarter--) {
    const t = 10 ** (quarter / 4);
    points.push([t, upperBound(sorted, t) / sorted.length]);
  }
  return points;
}

/** How many of the ascending values are ≤ x. */
function upperBound(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] <= x) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The largest weight (in steps of 0.05) under which no measured level of fused FMR is reached by
 * a larger share of two-finger impostor comparisons than it states.
 */
function fitFusionWeight(fmrs: Float64Array): number {
  for (let weight = 1; weight > 0; weight = Number((weight - 0.05).toFixed(2))) {
    if (survival(fusedOf(fmrs, weight)).every(([t, share]) => share <= t)) return weight;
  }
  return 0;
}

function fusedRows(fmrs: Float64Array, weight: number): Row[] {
  const levels = (w: number) =>
    survival(fusedOf(fmrs, w))
      .filter((_, k) => k % 4 === 0)
      .map(([t, share]) => `${exp(t)}: ${exp(share)}`)
      .join(', ');
  return [
    { measure: 'two-finger impostor comparisons: stated fused FMR: measured share, Fisher (weight 1)', value: levels(1), detail: `${(fmrs.length / 2).toLocaleString('en-US')} comparisons` },
    { measure: `the same, weight ${weight.toFixed(2)}`, value: levels(weight), detail: '' },
  ];
}

/**
 * FPIR per search of a gallery of N subjects, for the workflows' thresholds (a candidate's fused
 * FMR times N at most IDENTIFIED_FMR, or POSSIBLE_FMR). The share p of two-finger impostor
 * comparisons whose fused FMR reaches N-fold the threshold is measured where enough of them do;
 * beyond, it is extrapolated along log p = a + b log t, fitted to the last two measured decades.
 * FPIR = 1 − (1 − p)^N: each unrelated subject is one chance. The identification rule's second
 * condition (the fingers other than the best) is left out, so the identified FPIR is an upper
 * bound.
 */
function fpirTable(fmrs: Float64Array, weight: number): { title: string; rows: Row[] } {
  const points = survival(fusedOf(fmrs, weight)).filter(([, share]) => share > 0);
  const lowest = Math.log10(points[points.length - 1][0]);
  const tail = points.filter(([t]) => Math.log10(t) <= lowest + 2).map(([t, share]) => [Math.log10(t), Math.log10(share)] as [number, number]);
  const slope = leastSquaresSlope(tail);
  const meanX = tail.reduce((s, [x]) => s + x, 0) / tail.length;
  const meanY = tail.reduce((s, [, y]) => s + y, 0) / tail.length;
  const share = (t: number) => 10 ** (meanY + slope * (Math.log10(t) - meanX));
  const rows: Row[] = [];
  for (const [name, perSearch] of [['identified', IDENTIFIED_FMR], ['possible', POSSIBLE_FMR]] as const) {
    const row: Row = { threshold: `${name}: N × fused FMR ≤ ${exp(perSearch)}` };
    for (const n of GALLERY_SIZES) {
      const p = share(perSearch / n);
      row[`FPIR at N = ${exp(n)}`] = exp(-Math.expm1(n * Math.log1p(-p)));
    }
    rows.push(row);
  }
  rows.push({ threshold: `how: log10 share = ${meanY.toFixed(2)} + ${slope.toFixed(3)} × (log10 t − ${meanX.toFixed(2)}), fitted on t from ${exp(10 ** (lowest + 2))} to ${exp(10 ** lowest)}` });
  return { title: 'False-positive identification rate per search, two fingers (extrapolated below fused FMR ' + exp(10 ** lowest) + ')', rows };
}

/**
 * The calibration fitted on three sets' impostors, its stated FMR checked on the impostor pairs
 * that involve the fourth set (within it, and between it and the other three).
 */
function leaveOneSetOut(scores: DevelopmentScores): Row[] {
  const stated = [1e-2, 1e-3, 1e-4];
  return scores.sets.map((set, held) => {
    const training: number[] = [];
    forEachImpostor(scores, (entry) => entry.set !== held, (_, __, score) => training.push(score));
    const calibration = fitCalibration(training);
    const thresholds = stated.map((fmr) => scoreForFmr(fmr, calibration));
    const reached = stated.map(() => 0);
    let count = 0;
    forEachImpostor(scores, () => true, (a, b, score) => {
      if (scores.entries[a].set !== held && scores.entries[b].set !== held) return;
      count++;
      thresholds.forEach((threshold, k) => {
        if (score >= threshold) reached[k]++;
      });
    });
    return {
      measure: `left out ${set.name}: FMR stated 1e-2 / 1e-3 / 1e-4 → measured`,
      value: reached.map((r) => exp(r / count)).join(' / '),
      detail: `fitted on the other three sets (${training.length.toLocaleString('en-US')}), checked on ${count.toLocaleString('en-US')} pairs with ${set.name}`,
    };
  });
}

function fittedSource(fitted: FittedCalibration): string {
  const knots = fitted.scores.knots.map(([s, l]) => `      [${s}, ${l}],`).join('\n');
  return `// Written by \`npm run bench -- calibration --write\`: do not edit by hand.
import type { FittedCalibration } from './fitted-calibration-type.ts';

export const FITTED_CALIBRATION: FittedCalibration = {
  scores: {
    knots: [
${knots}
    ],
    perDecade: ${fitted.scores.perDecade},
  },
  fusion: { weight: ${fitted.fusion.weight} },
  source: ${JSON.stringify(fitted.source).replace(/"/g, "'")},
};
`;
}
