import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateImpressions, evaluateTemplates } from '../src/biometrics/evaluation/evaluate-impressions.ts';
import { decodeMinutiaeRecord, recordToTemplate } from '../src/formats/iso19794/minutiae-record.ts';
import { renderDetCurve } from '../src/biometrics/evaluation/det-curve.ts';
import { computeErrorRates, type ErrorRates } from '../src/biometrics/evaluation/error-rates.ts';
import { fitCalibration, scoreForFmr } from '../src/biometrics/matching/calibration.ts';
import { fuseFingerScores, fuseWithoutBest } from '../src/biometrics/matching/fusion.ts';
import { matchLevel } from '../src/repositories/shared/identification.ts';
import { readFvcDirectory } from '../src/infra/images/read-fvc-directory.ts';
import { datasetDir, DEVELOPMENT_SETS } from './datasets.ts';
import { developmentScores, forEachImpostor, type DevelopmentScores } from './development-scores.ts';
import { twoFingerScores } from './two-finger.ts';
import { optionValue, type Row } from './table.ts';
import { SYNTHETIC_SEED, syntheticSet } from './synthetic-set.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
export const DET_FILE = 'docs/det-development-sets.svg';

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
 * Accuracy on the four development sets found under CONCORD_DATASETS:
 * - the FVC protocol (280 genuine, 2,880 impostor comparisons per set) on each, extraction and
 *   matching on one core, as `concord fingerprint eval` runs it, and their mean; the DET curves
 *   of all four go to docs/;
 * - leave-one-set-out: the decision thresholds chosen on three sets, the error stated on the fourth;
 * - two-finger fusion: FNMR of virtual two-finger people at fused FMR 1e-4 and 1e-6, and under
 *   the identification rule at gallery sizes 10⁴, 10⁶, 10⁸;
 * - a realistic synthetic set, `--synthetic-fingers N` × 8 impressions (100 unless stated; 0 for none);
 * - the same protocol on a commercial SDK's ISO/IEC 19794-2 templates of those images
 *   (`<finger>_<impression>.iso` beside them), compared by our matcher.
 */
export async function runAccuracyBench(flags: Readonly<Record<string, string | true>> = {}): Promise<{ title: string; rows: Row[] }[]> {
  const rows: Row[] = [];
  const isoRows: Row[] = [];
  const curves = [];
  const found: ErrorRates[] = [];
  for (const set of DEVELOPMENT_SETS) {
    const dir = datasetDir(set.name);
    if (!dir) {
      rows.push({ set: set.name, note: 'not found: set CONCORD_DATASETS to the folder holding it' });
      continue;
    }
    const result = evaluateImpressions(await readFvcDirectory(dir, set.ppi));
    const { rates } = result;
    found.push(rates);
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
    if (iso.length > 1) isoRows.push({ set: set.name, templates: iso.length, ...rateColumns(evaluateTemplates(iso).rates) });
  }
  if (found.length > 1) {
    rows.push({
      set: `mean of the ${found.length} FVC sets`,
      EER: pct(mean(found.map((r) => r.eer))),
      'FNMR@FMR=1%': pct(mean(found.map((r) => r.fnmrAtFmr1pct.fnmr))),
      'FNMR@FMR=0.1%': pct(mean(found.map((r) => r.fnmrAtFmr01pct.fnmr))),
      'FNMR@FMR=0': pct(mean(found.map((r) => r.fnmrAtFmr0.fnmr))),
    });
  }
  const syntheticFingers = optionValue(flags, 'synthetic-fingers', 100);
  if (syntheticFingers > 0) {
    const { rates } = await syntheticSet(syntheticFingers, 8, 'realistic');
    rows.push({ set: `synthetic, realistic, ${syntheticFingers} × 8 (seed ${SYNTHETIC_SEED})`, images: syntheticFingers * 8, ...rateColumns(rates) });
  }
  if (curves.length > 0) {
    await mkdir('docs', { recursive: true });
    await writeFile(DET_FILE, renderDetCurve(curves));
    await rm('docs/det-fvc2002.svg', { force: true });
  }
  const tables = [{ title: 'Fingerprint accuracy, FVC protocol (concord fingerprint eval), four development sets', rows }];
  if (found.length === DEVELOPMENT_SETS.length) {
    const scores = await developmentScores();
    tables.push({ title: 'Leave-one-set-out: thresholds chosen on three sets, error stated on the fourth (FVC protocol pairs of that set)', rows: leaveOneSetOut(scores) });
    tables.push({ title: 'Two-finger fusion: virtual people (two fingers of one set), fused FMR as the workflows compute it', rows: twoFingerRows(scores) });
  }
  tables.push({ title: "A commercial SDK's ISO/IEC 19794-2 templates of the same images, compared by Concord's matcher", rows: isoRows });
  return tables;
}

/** Genuine and impostor scores of the FVC protocol within each set, from the all-pairs scores. */
function protocolScores(scores: DevelopmentScores, set: number): { genuine: number[]; impostor: number[] } {
  const genuine: number[] = [];
  const impostor: number[] = [];
  const members = scores.entries.flatMap((entry, k) => (entry.set === set ? [k] : []));
  for (let i = 0; i < members.length; i++) {
    for (let j = i + 1; j < members.length; j++) {
      const [a, b] = [members[i], members[j]];
      (scores.entries[a].finger === scores.entries[b].finger ? genuine : impostor).push(scores.score(a, b));
    }
  }
  return { genuine, impostor };
}

/** FMR and FNMR of scores at a threshold (accepted at or above it). */
function at(threshold: number, { genuine, impostor }: { genuine: number[]; impostor: number[] }) {
  return { fmr: impostor.filter((s) => s >= threshold).length / impostor.length, fnmr: genuine.filter((s) => s < threshold).length / genuine.length };
}

/**
 * For each set held out: the score calibration fitted on every impostor pair of the other three
 * (within and across them) sets the thresholds of FMR 1% and 0.1%, and the EER threshold of
 * their pooled FVC protocol scores stands for the EER; on the held-out set, the half total error
 * at the EER threshold, and FNMR and the FMR actually reached at the other two.
 */
function leaveOneSetOut(scores: DevelopmentScores): Row[] {
  const rows: Row[] = [];
  const figures: number[][] = [];
  scores.sets.forEach((set, held) => {
    const training: number[] = [];
    forEachImpostor(scores, (entry) => entry.set !== held, (_, __, score) => training.push(score));
    const calibration = fitCalibration(training);
    const pooled = { genuine: [] as number[], impostor: [] as number[] };
    scores.sets.forEach((_, k) => {
      if (k === held) return;
      const { genuine, impostor } = protocolScores(scores, k);
      pooled.genuine.push(...genuine);
      pooled.impostor.push(...impostor);
    });
    const eerThreshold = computeErrorRates(pooled.genuine, pooled.impostor).eerThreshold;
    const test = protocolScores(scores, held);
    const atEer = at(eerThreshold, test);
    const at1 = at(scoreForFmr(1e-2, calibration), test);
    const at01 = at(scoreForFmr(1e-3, calibration), test);
    const own = computeErrorRates(test.genuine, test.impostor);
    figures.push([(atEer.fmr + atEer.fnmr) / 2, at1.fnmr, at1.fmr, at01.fnmr, at01.fmr, own.eer]);
    rows.push({
      'held out': set.name,
      'EER (half total error at the three sets\' EER threshold)': pct((atEer.fmr + atEer.fnmr) / 2),
      'FNMR / FMR at FMR 1% of the three': `${pct(at1.fnmr)} / ${pct(at1.fmr)}`,
      'FNMR / FMR at FMR 0.1% of the three': `${pct(at01.fnmr)} / ${pct(at01.fmr)}`,
      'its own EER': pct(own.eer),
    });
  });
  const m = (k: number) => pct(mean(figures.map((f) => f[k])));
  rows.push({
    'held out': 'mean',
    'EER (half total error at the three sets\' EER threshold)': m(0),
    'FNMR / FMR at FMR 1% of the three': `${m(1)} / ${m(2)}`,
    'FNMR / FMR at FMR 0.1% of the three': `${m(3)} / ${m(4)}`,
    'its own EER': m(5),
  });
  return rows;
}

/**
 * Virtual two-finger people of each set and of all four: FNMR where the fused FMR must reach 1e-4
 * and 1e-6 (with the share of impostor comparisons that reached it, measured), and the share of
 * genuine searches the workflows' rule would not call identified at 10⁴, 10⁶ and 10⁸ subjects.
 */
function twoFingerRows(scores: DevelopmentScores): Row[] {
  const sources: [string, (set: number) => boolean][] = [
    ...scores.sets.map((set, k) => [set.name, (s: number) => s === k] as [string, (set: number) => boolean]),
    ['all four sets', () => true],
  ];
  return sources.map(([name, keep]) => {
    const two = twoFingerScores(scores, keep);
    const fused = (pairs: Float32Array) => Float64Array.from({ length: pairs.length / 2 }, (_, k) => fuseFingerScores([pairs[2 * k], pairs[2 * k + 1]]));
    const genuine = fused(two.genuine);
    const impostor = fused(two.impostor);
    const share = (values: Float64Array, pass: (v: number) => boolean) => values.filter(pass).length / values.length;
    const row: Row = { people: `${name}: ${two.subjects} people, ${genuine.length.toLocaleString('en-US')} genuine / ${impostor.length.toLocaleString('en-US')} impostor` };
    for (const target of [1e-4, 1e-6]) {
      row[`FNMR at fused FMR ${target.toExponential(0)} (impostors measured)`] = `${pct(share(genuine, (f) => f > target))} (${share(impostor, (f) => f <= target).toExponential(1)})`;
    }
    const genuinePairs = Array.from({ length: genuine.length }, (_, k) => [two.genuine[2 * k], two.genuine[2 * k + 1]]);
    for (const searched of [1e4, 1e6, 1e8]) {
      const missed = genuinePairs.filter((fingers) => matchLevel({ subjectId: '', score: 0, fmr: fuseFingerScores(fingers), fmrWithoutBest: fuseWithoutBest(fingers), searched, fingers: [] }) !== 'identified').length;
      row[`not identified, N = ${searched.toExponential(0)}`] = pct(missed / genuinePairs.length);
    }
    return row;
  });
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
