/**
 * Synthetic fingerprint generator: speed (masters/s and impressions/s on one core, images/s with
 * worker threads) and realism (EER of the engine on a synthetic FVC-style set, to compare with the
 * real FVC2002 figures of the accuracy bench), plus a picture of real and synthetic prints side by
 * side for the eye.
 *
 *   node --import tsx bench/synth.ts [--fingers 100] [--impressions 8] [--workers 2] [--no-eer] [--difficulty realistic|clean] [--picture docs/synthetic.png]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import sharp, { type OverlayOptions } from 'sharp';
import { evaluateImpressions } from '../src/biometrics/evaluation/evaluate-impressions.ts';
import type { GrayImage } from '../src/biometrics/gray-image.ts';
import {
  generateMaster,
  masterMinutiae,
  mixSeed,
  renderImpression,
  synthesizeInParallel,
  CAPTURE_DIFFICULTY,
  type CaptureDifficulty,
  type MasterFingerprint,
  type SynthesisJob,
} from '../src/biometrics/synthetic/index.ts';
import { formatTable, type Row } from './table.ts';

export interface SynthBenchOptions {
  /** Size of the synthetic set the EER is measured on (FVC: 100 fingers × 8 impressions). */
  fingers?: number;
  impressions?: number;
  workers?: number;
  eer?: boolean;
  /** How hard the captures of the EER set are (realistic unless stated). */
  difficulty?: CaptureDifficulty;
}

const BENCH_SEED = 20020;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export async function runSynthBench(options: SynthBenchOptions = {}): Promise<Row[]> {
  const fingers = options.fingers ?? 50;
  const impressions = options.impressions ?? 8;
  const workers = options.workers ?? availableParallelism();
  const difficulty = options.difficulty ?? 'realistic';
  const rows: Row[] = [];

  // One core: masters, then impressions of them.
  const masterCount = 8;
  let started = performance.now();
  const masters: MasterFingerprint[] = [];
  for (let f = 0; f < masterCount; f++) masters.push(generateMaster(mixSeed(BENCH_SEED, f)));
  const masterSeconds = (performance.now() - started) / 1000;
  let minutiae = 0;
  for (const master of masters) minutiae += masterMinutiae(master).length;
  rows.push({ what: 'masters, 1 core', count: masterCount, 'per second': masterCount / masterSeconds, 'ms each': (1000 * masterSeconds) / masterCount, note: `${(minutiae / masterCount).toFixed(0)} ground-truth minutiae per master` });
  started = performance.now();
  for (const master of masters) for (let k = 1; k <= 8; k++) renderImpression(master, k);
  const impressionSeconds = (performance.now() - started) / 1000;
  rows.push({ what: 'impressions, 1 core', count: masterCount * 8, 'per second': (masterCount * 8) / impressionSeconds, 'ms each': (1000 * impressionSeconds) / (masterCount * 8) });
  started = performance.now();
  for (const master of masters) renderImpression(master, 1, { rolled: true });
  const rolledSeconds = (performance.now() - started) / 1000;
  rows.push({ what: 'rolled impressions, 1 core', count: masterCount, 'per second': masterCount / rolledSeconds, 'ms each': (1000 * rolledSeconds) / masterCount });

  // A finger × impression set, end to end (master + its impressions), on 1 core and on workers.
  const setJobs = jobsFor(BENCH_SEED + 1, 16, 8);
  for (const w of [1, workers]) {
    started = performance.now();
    await synthesizeInParallel(setJobs, () => {}, w);
    const seconds = (performance.now() - started) / 1000;
    rows.push({ what: `16 fingers × 8 impressions, ${w} worker${w > 1 ? 's' : ''}`, count: 128, 'per second': 128 / seconds, 'ms each': (1000 * seconds) / 128, note: `${((3600 * 128) / seconds).toFixed(0)} images/hour` });
  }

  if (options.eer ?? true) {
    const items: { impression: { finger: string; impression: string }; image: GrayImage }[] = [];
    await synthesizeInParallel(
      jobsFor(BENCH_SEED + 2, fingers, impressions, difficulty),
      (index, images) => images.forEach((image, k) => items.push({ impression: { finger: String(index + 1), impression: String(k + 1) }, image })),
      workers,
    );
    items.sort((a, b) => Number(a.impression.finger) - Number(b.impression.finger) || Number(a.impression.impression) - Number(b.impression.impression));
    const result = evaluateImpressions(items);
    rows.push({
      what: `engine on synthetic ${fingers} × ${impressions}, ${difficulty} (FVC protocol)`,
      count: items.length,
      note: `EER ${pct(result.rates.eer)}, FNMR@FMR=1% ${pct(result.rates.fnmrAtFmr1pct.fnmr)}, FNMR@FMR=0.1% ${pct(result.rates.fnmrAtFmr01pct.fnmr)}, ${result.rates.genuine}/${result.rates.impostor} genuine/impostor, ${result.failuresToExtract} failed to extract`,
    });
  }
  return rows;
}

export function jobsFor(seed: number, fingers: number, impressions: number, difficulty: CaptureDifficulty = 'clean'): SynthesisJob[] {
  return Array.from({ length: fingers }, (_, f) => ({
    masterSeed: mixSeed(seed, f + 1),
    impressions: Array.from({ length: impressions }, (_, k) => ({ seed: mixSeed(seed, f + 1, k + 1), capture: CAPTURE_DIFFICULTY[difficulty] })),
  }));
}

/**
 * Real FVC2002 impressions from the fixtures beside synthetic masters and impressions, one row
 * each, so a reader can judge the realism by eye.
 */
export async function renderComparisonPicture(file: string): Promise<void> {
  const cellWidth = 300;
  const cellHeight = 340;
  const labelHeight = 28;
  const columns = 6;
  const fixtures = new URL('../fixtures/fingerprints/', import.meta.url);
  const real = ['101_1', '101_2', '102_1', '102_2', '105_1', '108_1'].map((name) => new URL(`${name}.png`, fixtures).pathname);
  const classes = ['left_loop', 'right_loop', 'whorl', 'arch', 'tented_arch', 'whorl'] as const;
  const masters = classes.map((fingerClass, k) => generateMaster(mixSeed(BENCH_SEED, 100 + k), { fingerClass }));
  const ridgeImage = (m: MasterFingerprint): GrayImage => {
    const pixels = new Uint8Array(m.ridges.length);
    for (let i = 0; i < pixels.length; i++) pixels[i] = m.ridges[i] === 0 ? 255 : Math.round(128 - 120 * m.ridges[i]);
    return { width: m.width, height: m.height, pixels, ppi: 500 };
  };
  const rows: { label: string; images: (string | GrayImage)[] }[] = [
    { label: 'Real: FVC2002 DB1 impressions (fixtures; 101 and 102 two impressions each)', images: real },
    { label: 'Synthetic masters: left loop, right loop, whorl, arch, tented arch, whorl', images: masters.map(ridgeImage) },
    { label: 'Synthetic plain impressions: two of each of the first three masters', images: [0, 0, 1, 1, 2, 2].map((m, k) => renderImpression(masters[m], k + 1)) },
    { label: 'Synthetic: plain impressions of masters 4-6, rolled impressions of masters 1-3', images: [renderImpression(masters[3], 1), renderImpression(masters[4], 1), renderImpression(masters[5], 1), ...[0, 1, 2].map((m) => renderImpression(masters[m], 9, { rolled: true }))] },
  ];
  const composites: OverlayOptions[] = [];
  let top = 0;
  for (const row of rows) {
    const label = `<svg width="${cellWidth * columns}" height="${labelHeight}"><text x="8" y="20" font-family="sans-serif" font-size="16" fill="#222">${row.label}</text></svg>`;
    composites.push({ input: Buffer.from(label), left: 0, top });
    top += labelHeight;
    for (let c = 0; c < row.images.length; c++) {
      const source = row.images[c];
      const input = typeof source === 'string' ? sharp(source) : sharp(Buffer.from(source.pixels), { raw: { width: source.width, height: source.height, channels: 1 } });
      const tile = await input.resize(cellWidth - 8, cellHeight - 8, { fit: 'contain', background: '#ffffff' }).png().toBuffer();
      composites.push({ input: tile, left: c * cellWidth + 4, top: top + 4 });
    }
    top += cellHeight;
  }
  const sheet = await sharp({ create: { width: cellWidth * columns, height: top, channels: 3, background: '#ffffff' } }).composite(composites).greyscale().png().toBuffer();
  // A small palette keeps the picture light enough for the repository.
  await sharp(sheet).resize(1000).png({ palette: true, colors: 32, effort: 10 }).toFile(file);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: { fingers: { type: 'string' }, impressions: { type: 'string' }, workers: { type: 'string' }, 'no-eer': { type: 'boolean' }, picture: { type: 'string' }, difficulty: { type: 'string' } },
  });
  if (values.picture) {
    await renderComparisonPicture(values.picture);
    process.stderr.write(`wrote ${values.picture}\n`);
  }
  const rows = await runSynthBench({
    fingers: values.fingers ? Number(values.fingers) : undefined,
    impressions: values.impressions ? Number(values.impressions) : undefined,
    workers: values.workers ? Number(values.workers) : undefined,
    eer: !values['no-eer'],
    difficulty: values.difficulty as CaptureDifficulty | undefined,
  });
  process.stdout.write(formatTable('Synthetic fingerprints (bench/synth.ts)', rows));
}
