import type { ScoreCalibration } from './calibration.ts';

/** What `npm run bench -- calibration --write` measures and the matcher's decisions rest on. */
export interface FittedCalibration {
  /** One finger's score → FMR. */
  scores: ScoreCalibration;
  /** Multi-finger fusion: the weight on Fisher's statistic (see fusion.ts). */
  fusion: { weight: number };
  /** Which comparisons it was fitted on, in words. */
  source: string;
}
