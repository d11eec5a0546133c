// Written by `npm run bench -- calibration --write`: do not edit by hand.
import type { FittedCalibration } from './fitted-calibration-type.ts';

export const FITTED_CALIBRATION: FittedCalibration = {
  scores: {
    knots: [
      [1.6455, -0.25],
      [2.3258, -0.5],
      [3.0776, -0.75],
      [3.7367, -1],
      [4.3691, -1.25],
      [5.0206, -1.5],
      [5.634, -1.75],
      [6.222, -2],
      [6.8304, -2.25],
      [7.4953, -2.5],
      [8.14, -2.75],
      [8.8908, -3],
      [9.3237, -3.25],
    ],
    perDecade: 2.4951,
  },
  fusion: { weight: 1 },
  source: '49,920 impostor comparisons of fvc2002-db1b, fvc2002-db2b, fvc2004-db1b, fvc2004-db3b (38,400 across sets); fusion weight from 938,880 two-finger impostor comparisons',
};
