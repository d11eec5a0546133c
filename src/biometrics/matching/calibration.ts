/**
 * Score calibration: the false-match rate a similarity score corresponds to.
 *
 * Impostor scores of this matcher have an exponential upper tail: log10 FMR falls linearly with
 * the score. The line below was fitted to 11,520 impostor comparisons (both directions of every
 * cross-finger pair of the FVC2002 DB1B and DB2B sets, our own extractor) between FMR 10% and
 * 0.1%, where those sets measure it; beyond that it is extrapolated, which is what a tail model
 * is for. `npm run bench -- calibration` refits it with `fitExponentialTail`: on 2026-12-01 it
 * gave offset 1.23 and 2.39 per decade, with the scores 3.59, 6.00 and 8.31 reached by 10%, 1%
 * and 0.1% of impostors, which the line in use puts within 0.05 of a decade.
 */
export interface TailModel {
  /** Score at which the model's FMR reaches 1. */
  offset: number;
  /** Score increase per decade of FMR. */
  perDecade: number;
}

export const DEFAULT_TAIL: TailModel = { offset: 1.2, perDecade: 2.4 };

export function fmrForScore(score: number, model: TailModel = DEFAULT_TAIL): number {
  return Math.min(1, 10 ** (-(score - model.offset) / model.perDecade));
}

export function scoreForFmr(fmr: number, model: TailModel = DEFAULT_TAIL): number {
  if (!(fmr > 0 && fmr <= 1)) throw new RangeError(`a false-match rate must lie in (0, 1], got ${fmr}`);
  return model.offset - model.perDecade * Math.log10(fmr);
}

/**
 * The least score that is evidence of a match: the score of a 1-in-10 false match, where the
 * calibrated range begins. Below it a score's FMR is extrapolated, not measured, so a finger
 * scoring less counts for nothing: fusion takes its FMR as 1, a gallery's ranking adds nothing
 * for it, and the matcher does not check such a pairing's ridge flow.
 */
export const LEAST_EVIDENCE_SCORE = scoreForFmr(0.1);

/** Least-squares fit of log10 FMR against score over the empirical tail between FMR `high` and `low`. */
export function fitExponentialTail(impostorScores: readonly number[], high = 0.1, low = 0.001): TailModel {
  const sorted = Float64Array.from(impostorScores).sort().reverse();
  const points: [number, number][] = [];
  for (let k = 0; k < sorted.length; k++) {
    const fmr = (k + 1) / sorted.length;
    if (fmr >= low && fmr <= high) points.push([sorted[k], Math.log10(fmr)]);
  }
  if (points.length < 2) throw new RangeError('too few impostor scores to fit a tail');
  const n = points.length;
  const meanX = points.reduce((s, [x]) => s + x, 0) / n;
  const meanY = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - meanX) * (y - meanY);
    sxx += (x - meanX) ** 2;
  }
  const slope = sxy / sxx; // decades per score unit, negative
  return { offset: meanX - meanY / slope, perDecade: -1 / slope };
}
