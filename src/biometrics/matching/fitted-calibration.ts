// Written by `npm run bench -- calibration --write`: do not edit by hand.
import type { FittedCalibration } from './fitted-calibration-type.ts';

export const FITTED_CALIBRATION: FittedCalibration = {
  scores: {
    knots: [
      [1.5609, -0.25],
      [2.2234, -0.5],
      [2.9118, -0.75],
      [3.5068, -1],
      [4.0831, -1.25],
      [4.669, -1.5],
      [5.2704, -1.75],
      [5.8662, -2],
      [6.3564, -2.25],
      [6.9992, -2.5],
      [7.5487, -2.75],
      [7.988, -3],
      [8.3869, -3.25],
    ],
    perDecade: 2.3003,
  },
  fusion: { weight: 1 },
  source: '49,920 impostor comparisons of fvc2002-db1b, fvc2002-db2b, fvc2004-db1b, fvc2004-db3b (38,400 across sets); fusion weight from 938,880 two-finger impostor comparisons',
};
