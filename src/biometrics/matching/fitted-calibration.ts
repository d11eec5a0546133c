// Written by `npm run bench -- calibration --write`: do not edit by hand.
import type { FittedCalibration } from './fitted-calibration-type.ts';

export const FITTED_CALIBRATION: FittedCalibration = {
  scores: {
    knots: [
      [1.6482, -0.25],
      [1.8514, -0.5],
      [2.6642, -0.75],
      [3.2864, -1],
      [3.8291, -1.25],
      [4.3585, -1.5],
      [4.9581, -1.75],
      [5.5128, -2],
      [6.0627, -2.25],
      [6.5755, -2.5],
      [7.1546, -2.75],
      [7.613, -3],
      [8.1123, -3.25],
    ],
    perDecade: 2.2246,
  },
  fusion: { weight: 1 },
  source: '49,920 impostor comparisons of fvc2002-db1b, fvc2002-db2b, fvc2004-db1b, fvc2004-db3b (38,400 across sets); fusion weight from 938,880 two-finger impostor comparisons',
};
