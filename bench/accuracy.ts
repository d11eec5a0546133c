import { mkdir, writeFile } from 'node:fs/promises';
import { evaluateImpressions } from '../src/biometrics/evaluation/evaluate-impressions.ts';
import { renderDetCurve } from '../src/biometrics/evaluation/det-curve.ts';
import { readFvcDirectory } from '../src/infra/images/read-fvc-directory.ts';
import { datasetDir, FVC_SETS } from './datasets.ts';
import type { Row } from './table.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/**
 * The FVC protocol (280 genuine, 2,880 impostor comparisons per set) on each FVC2002 set found
 * under CONCORD_DATASETS, extraction and matching on one core; writes the DET curves to docs/.
 */
export async function runAccuracyBench(): Promise<{ title: string; rows: Row[] }[]> {
  const rows: Row[] = [];
  const curves = [];
  for (const set of FVC_SETS) {
    const dir = datasetDir(set.name);
    if (!dir) {
      rows.push({ set: set.name, note: 'not found: set CONCORD_DATASETS to the folder holding it' });
      continue;
    }
    const result = evaluateImpressions(await readFvcDirectory(dir, set.ppi));
    const { rates } = result;
    rows.push({
      set: `${set.name} (${set.ppi} ppi)`,
      images: result.images,
      'genuine/impostor': `${rates.genuine}/${rates.impostor}`,
      EER: pct(rates.eer),
      'FNMR@FMR=1%': pct(rates.fnmrAtFmr1pct.fnmr),
      'FNMR@FMR=0.1%': pct(rates.fnmrAtFmr01pct.fnmr),
      'FNMR@FMR=0': pct(rates.fnmrAtFmr0.fnmr),
      'extract ms/image': result.extractMsMean,
      'compares/s (1 core)': Math.round(result.comparesPerSecond),
      'failed to extract': result.failuresToExtract,
    });
    curves.push({ label: set.name, curve: rates.curve, genuine: rates.genuine, impostor: rates.impostor });
  }
  if (curves.length > 0) {
    await mkdir('docs', { recursive: true });
    await writeFile('docs/det-fvc2002.svg', renderDetCurve(curves));
  }
  return [{ title: 'Fingerprint accuracy, FVC protocol (concord fingerprint eval)', rows }];
}
