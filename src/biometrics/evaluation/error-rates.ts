/**
 * Verification error rates from genuine and impostor similarity scores, as in the FVC protocol.
 * A comparison is accepted when its score is at or above the threshold:
 *   FMR(t)  = share of impostor scores ≥ t      FNMR(t) = share of genuine scores < t
 */
export interface OperatingPoint {
  threshold: number;
  fmr: number;
  fnmr: number;
}

export interface ErrorRates {
  genuine: number;
  impostor: number;
  /** Equal error rate, where FMR and FNMR cross (mean of the two at the crossing). */
  eer: number;
  eerThreshold: number;
  /** Lowest FNMR among thresholds whose FMR does not exceed the target. */
  fnmrAtFmr1pct: OperatingPoint;
  fnmrAtFmr01pct: OperatingPoint;
  fnmrAtFmr0: OperatingPoint;
  /** FMR/FNMR at every distinct threshold, for a DET curve. */
  curve: OperatingPoint[];
}

export function computeErrorRates(genuineScores: readonly number[], impostorScores: readonly number[]): ErrorRates {
  if (genuineScores.length === 0 || impostorScores.length === 0) {
    throw new RangeError('error rates need at least one genuine and one impostor score');
  }
  const genuine = Float64Array.from(genuineScores).sort();
  const impostor = Float64Array.from(impostorScores).sort();
  const thresholds = Float64Array.from(new Set([...genuine, ...impostor, Infinity])).sort();

  // Sweep thresholds upwards: both counts only move one way, so one pass suffices.
  const curve: OperatingPoint[] = [];
  let g = 0; // genuine scores below the threshold
  let i = 0; // impostor scores below the threshold
  for (const threshold of thresholds) {
    while (g < genuine.length && genuine[g] < threshold) g++;
    while (i < impostor.length && impostor[i] < threshold) i++;
    curve.push({ threshold, fmr: (impostor.length - i) / impostor.length, fnmr: g / genuine.length });
  }

  let eer = 1;
  let eerThreshold = curve[0].threshold;
  for (let k = 0; k < curve.length; k++) {
    const point = curve[k];
    if (point.fnmr >= point.fmr) {
      // First threshold where FNMR catches up with FMR: the crossing lies between k-1 and k.
      const before = k > 0 ? curve[k - 1] : point;
      const atBefore = Math.max(before.fmr, before.fnmr);
      const atPoint = Math.max(point.fmr, point.fnmr);
      if (atBefore <= atPoint) {
        eer = (before.fmr + before.fnmr) / 2;
        eerThreshold = before.threshold;
      } else {
        eer = (point.fmr + point.fnmr) / 2;
        eerThreshold = point.threshold;
      }
      break;
    }
  }

  return {
    genuine: genuine.length,
    impostor: impostor.length,
    eer,
    eerThreshold,
    fnmrAtFmr1pct: bestAtFmr(curve, 0.01),
    fnmrAtFmr01pct: bestAtFmr(curve, 0.001),
    fnmrAtFmr0: bestAtFmr(curve, 0),
    curve,
  };
}

function bestAtFmr(curve: readonly OperatingPoint[], maxFmr: number): OperatingPoint {
  // FNMR grows with the threshold, so the lowest admissible threshold is the best one.
  for (const point of curve) if (point.fmr <= maxFmr) return point;
  return curve[curve.length - 1];
}
