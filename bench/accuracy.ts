import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateImpressions, evaluateTemplates } from '../src/biometrics/evaluation/evaluate-impressions.ts';
import { decodeMinutiaeRecord, recordToTemplate } from '../src/formats/iso19794/minutiae-record.ts';
import { renderDetCurve } from '../src/biometrics/evaluation/det-curve.ts';
import type { ErrorRates } from '../src/biometrics/evaluation/error-rates.ts';
import { readFvcDirectory } from '../src/infra/images/read-fvc-directory.ts';
import { datasetDir, FVC_SETS } from './datasets.ts';
import type { Row } from './table.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** The FVC protocol's figures of one evaluation, as table columns. */
function rateColumns(rates: ErrorRates): Row {
  return {
    'genuine/impostor': `${rates.genuine}/${rates.impostor}`,
    EER: pct(rates.eer),
    'FNMR@FMR=1%': pct(rates.fnmrAtFmr1pct.fnmr),
    'FNMR@FMR=0.1%': pct(rates.fnmrAtFmr01pct.fnmr),
    'FNMR@FMR=0': pct(rates.fnmrAtFmr0.fnmr),
  };
}

/**
 * The FVC protocol (280 genuine, 2,880 impostor comparisons per set) on each FVC2002 set found
 * under CONCORD_DATASETS, extraction and matching on one core; writes the DET curves to docs/.
 * The same protocol on the ISO/IEC 19794-2 templates a commercial SDK made of those images
 * (`<finger>_<impression>.iso` beside them), compared by our matcher.
 */
export async function runAccuracyBench(): Promise<{ title: string; rows: Row[] }[]> {
  const rows: Row[] = [];
  const isoRows: Row[] = [];
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
      ...rateColumns(rates),
      'extract ms/image': result.extractMsMean,
      'compares/s (1 core)': Math.round(result.comparesPerSecond),
      'failed to extract': result.failuresToExtract,
    });
    curves.push({ label: set.name, curve: rates.curve, genuine: rates.genuine, impostor: rates.impostor });
    const iso = await isoTemplates(dir);
    if (iso.length > 1) {
      isoRows.push({ set: set.name, templates: iso.length, ...rateColumns(evaluateTemplates(iso).rates) });
    }
  }
  if (curves.length > 0) {
    await mkdir('docs', { recursive: true });
    await writeFile('docs/det-fvc2002.svg', renderDetCurve(curves));
  }
  return [
    { title: 'Fingerprint accuracy, FVC protocol (concord fingerprint eval)', rows },
    { title: "A commercial SDK's ISO/IEC 19794-2 templates of the same images, compared by Concord's matcher", rows: isoRows },
  ];
}

/** Every `<finger>_<impression>.iso` of a directory, read as a 500 ppi template. */
async function isoTemplates(dir: string) {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.iso')).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return Promise.all(
    names.map(async (name) => {
      const [finger, impression] = name.slice(0, -'.iso'.length).split('_');
      return { impression: { finger, impression }, template: recordToTemplate(decodeMinutiaeRecord(await readFile(join(dir, name)))) };
    }),
  );
}
