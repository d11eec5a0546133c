import { prepareTemplate } from '../src/biometrics/matching/prepared-template.ts';
import { compareTemplates, NO_FLOW_SCALE } from '../src/biometrics/matching/compare-templates.ts';
import { DEFAULT_TAIL, fitExponentialTail } from '../src/biometrics/matching/calibration.ts';
import { FVC_SETS, fvcTemplates } from './datasets.ts';
import type { Row } from './table.ts';

/**
 * Where the score calibration and the no-flow scale come from: the impostor comparisons of the
 * FVC2002 sets (every cross-finger pair, both ways), with the templates' orientation maps and
 * without them. The exponential tail fitted to the first gives DEFAULT_TAIL; the ratio of the
 * scores 1% of impostors reach with and without maps gives NO_FLOW_SCALE.
 */
export async function runCalibrationBench(): Promise<{ title: string; rows: Row[] }[]> {
  const withMaps: number[] = [];
  const withoutMaps: number[] = [];
  for (const set of FVC_SETS) {
    const items = await fvcTemplates(set);
    if (!items) return [{ title: 'Score calibration', rows: [{ measure: set.name, value: 'not found: set CONCORD_DATASETS' }] }];
    const mapped = items.map((item) => prepareTemplate(item.template));
    const bare = items.map((item) => prepareTemplate({ ...item.template, orientation: undefined }));
    for (let a = 0; a < items.length; a++) {
      for (let b = 0; b < items.length; b++) {
        if (items[a].finger === items[b].finger) continue;
        withMaps.push(compareTemplates(mapped[a], mapped[b]));
        // Unscaled, to compare the two tails as they are.
        withoutMaps.push(compareTemplates(bare[a], bare[b]) / NO_FLOW_SCALE);
      }
    }
  }
  const fitted = fitExponentialTail(withMaps);
  const reach = (scores: number[], fmr: number) => scoreReachedBy(scores, fmr).toFixed(2);
  return [
    {
      title: 'Score calibration (FVC2002 DB1-B and DB2-B impostors, both ways)',
      rows: [
        { measure: 'impostor comparisons', value: withMaps.length.toLocaleString('en-US'), detail: '' },
        { measure: 'fitted tail: offset, score per decade of FMR', value: `${fitted.offset.toFixed(2)}, ${fitted.perDecade.toFixed(2)}`, detail: `in use: ${DEFAULT_TAIL.offset}, ${DEFAULT_TAIL.perDecade}` },
        { measure: 'score reached by 10% / 1% / 0.1% of impostors, with maps', value: `${reach(withMaps, 0.1)} / ${reach(withMaps, 0.01)} / ${reach(withMaps, 0.001)}`, detail: '' },
        { measure: 'the same without maps, unscaled', value: `${reach(withoutMaps, 0.1)} / ${reach(withoutMaps, 0.01)} / ${reach(withoutMaps, 0.001)}`, detail: '' },
        { measure: 'ratio at 1% (with / without)', value: (scoreReachedBy(withMaps, 0.01) / scoreReachedBy(withoutMaps, 0.01)).toFixed(3), detail: `in use: NO_FLOW_SCALE ${NO_FLOW_SCALE}` },
      ],
    },
  ];
}

/** The score that a share `fmr` of the impostor scores reach or exceed. */
function scoreReachedBy(scores: readonly number[], fmr: number): number {
  const sorted = Float64Array.from(scores).sort().reverse();
  return sorted[Math.max(0, Math.ceil(fmr * sorted.length) - 1)];
}
