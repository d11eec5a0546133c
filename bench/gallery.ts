import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareTemplates } from '../src/biometrics/matching/compare-templates.ts';
import { FingerprintGallery } from '../src/biometrics/matching/gallery.ts';
import { SHORTLIST } from '../src/biometrics/matching/gallery-shard.ts';
import { prepareTemplate, type PreparedTemplate } from '../src/biometrics/matching/prepared-template.ts';
import { generatePopulation } from '../src/biometrics/population/generate-population.ts';
import { batchTemplates } from '../src/biometrics/population/population-batch.ts';
import { encodeTemplate } from '../src/biometrics/template-codec.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { KeyRing } from '../src/infra/crypto/key-ring.ts';
import { GallerySnapshotWriter, loadGallerySnapshot } from '../src/repositories/shared/gallery-snapshot.ts';
import { sealedFor } from '../src/repositories/shared/template-sealer.ts';
import { FVC2004_SETS, FVC_SETS, fvcTemplates } from './datasets.ts';
import type { Row } from './table.ts';

/**
 * `npm run -s bench -- gallery --fingers N [--workers W] [--searches K] [--json]`: a gallery of N
 * fingers at scale. The first impression of each finger of the four FVC sets is planted among
 * N generated fingers (src/biometrics/population); the other impressions search it.
 *
 * - generation: the population made, sealed and written to a snapshot file;
 * - loading: the snapshot read into a gallery on W worker threads, every template opened and
 *   checked as a repository's loader does, until all are indexed (load_seconds);
 * - memory: the process's resident memory grown by the load, per finger (bytes_per_finger);
 * - search: one-finger searches, as a repository answers them (search_ms_median);
 * - recall of the first stage: among genuine searches the full matcher alone would answer with
 *   the mate first, how often the first stage ranks the mate in its top 1, 10, 100 and shortlist.
 *   A search counts if the full matcher scores the mate above every other candidate the search
 *   found and every other planted FVC finger, and, where the first stage misses the mate (not in
 *   its top 10), above every finger of the gallery: an exhaustive search with the full matcher
 *   (GalleryShard.rival) decides, which costs about 0.2 ms per finger and core.
 *   The misses such a search shows outscored, and the recall counting them, are reported too, and
 *   every miss is listed with the mate's score (`misses`).
 */
const POSITION = 2;

export interface GalleryBenchOptions {
  fingers: number;
  workers: number;
  searches: number;
  /** Only make the population and say how long it took and whether its fingers are distinct. */
  populationOnly: boolean;
}

export function galleryOptions(flags: Record<string, string | true>): GalleryBenchOptions {
  const count = (name: string, fallback: number, least: number) => {
    const value = flags[name] === undefined ? fallback : Number(flags[name]);
    if (!Number.isInteger(value) || value < least) throw new Error(`--${name} must be a whole number ≥ ${least}`);
    return value;
  };
  return { fingers: count('fingers', 100_000, 1000), workers: count('workers', availableParallelism(), 1), searches: count('searches', 80, 1), populationOnly: flags['population-only'] === true };
}

interface Probe {
  set: string;
  mate: string;
  impression: string;
  template: FingerprintTemplate;
}

export async function runGalleryBench(options: GalleryBenchOptions): Promise<{ tables: { title: string; rows: Row[] }[]; json: Record<string, number | string> }> {
  if (options.populationOnly) return runPopulationBench(options);
  const planted = new Map<string, FingerprintTemplate>();
  const probes: Probe[] = [];
  for (const set of [...FVC_SETS, ...FVC2004_SETS]) {
    const templates = await fvcTemplates(set);
    if (!templates) throw new Error(`${set.name} not found: set CONCORD_DATASETS to the folder holding the FVC sets`);
    for (const { finger, impression, template } of templates) {
      const subject = `${set.name}/${finger}`;
      if (!planted.has(subject)) planted.set(subject, template);
      else probes.push({ set: set.name, mate: subject, impression, template });
    }
  }
  // Every set equally, and within a set spread over its fingers and impressions (a stride through the list).
  const bySet = [...FVC_SETS, ...FVC2004_SETS].map((set) => probes.filter((p) => p.set === set.name)).map((list) => list.map((_, i) => list[(i * 29) % list.length]));
  const chosen: Probe[] = [];
  for (let k = 0; chosen.length < Math.min(options.searches, probes.length); k++) for (const list of bySet) if (k < list.length && chosen.length < options.searches) chosen.push(list[k]);

  const dir = await mkdtemp(join(tmpdir(), 'concord-gallery-'));
  const snapshot = join(dir, 'gallery.snapshot');
  const sealer = KeyRing.ephemeral();
  const column = 'samples.template';
  let gallery: FingerprintGallery | undefined;
  try {
    const generated = options.fingers - planted.size;
    let started = performance.now();
    const writer = await GallerySnapshotWriter.create(snapshot);
    await writer.write([...planted].map(([subject, template]) => ({ subject, position: POSITION, template: sealer.seal(encodeTemplate(template), sealedFor(column, subject, POSITION)) })));
    await generatePopulation(
      generated,
      (batch) =>
        writer.write(
          batchTemplates(batch).map((template, k) => {
            const subject = `P${batch.first + k}`;
            return { subject, position: POSITION, template: sealer.seal(template, sealedFor(column, subject, POSITION)) };
          }),
        ),
      { workers: options.workers },
    );
    await writer.close();
    const generationSeconds = (performance.now() - started) / 1000;

    const rssBefore = process.memoryUsage().rss;
    started = performance.now();
    gallery = new FingerprintGallery({ workers: options.workers });
    const { fingers, refused } = await loadGallerySnapshot(snapshot, gallery, column, sealer);
    const heldBytes = await gallery.settled();
    const loadSeconds = (performance.now() - started) / 1000;
    const rssGrowth = process.memoryUsage().rss - rssBefore;

    const times: number[] = [];
    // CPU time of all threads: on a busy machine, wall time measures the others as much as the search.
    const cpuTimes: number[] = [];
    const ranks: number[] = [];
    /** Searches whose mate the first stage left out of its top 10, to be checked exhaustively. */
    const missed: { probe: Probe; prepared: PreparedTemplate; mateScore: number; rank: number }[] = [];
    /** The mate's place in the first stage wherever it beat the candidates found and the planted fingers, before any exhaustive check. */
    const unchecked: number[] = [];
    let finalFirst = 0;
    const preparedPlanted = new Map([...planted].map(([subject, template]) => [subject, prepareTemplate(template)]));
    for (const probe of chosen) {
      const prepared = prepareTemplate(probe.template);
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const candidates = await gallery.search([{ position: POSITION, template: prepared }], { limit: 10 });
      times.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
      const firstStage = await gallery.firstStage({ position: POSITION, template: prepared }, SHORTLIST);
      const mateScore = compareTemplates(prepared, preparedPlanted.get(probe.mate)!);
      const rivals = [...candidates.filter((c) => c.subjectId !== probe.mate).map((c) => c.fingers[0].score), ...[...preparedPlanted].filter(([s]) => s !== probe.mate).map(([, t]) => compareTemplates(prepared, t))];
      if (candidates[0]?.subjectId === probe.mate) finalFirst++;
      if (!rivals.every((score) => score < mateScore)) continue;
      const found = firstStage.findIndex((c) => c.subjectId === probe.mate);
      const rank = found < 0 ? Infinity : found;
      unchecked.push(rank);
      if (rank < 10) ranks.push(rank);
      else missed.push({ probe, prepared, mateScore, rank });
    }
    // A miss counts only if the full matcher, searching every finger, would rank the mate first;
    // checked after the timed searches, so that the scans' work does not slow any of them.
    const checked: { miss: (typeof missed)[number]; rival?: { score: number } }[] = [];
    for (const miss of missed) checked.push({ miss, rival: await gallery.rival({ position: POSITION, template: miss.prepared }, miss.mateScore, miss.probe.mate) });
    for (const { miss, rival } of checked) if (!rival) ranks.push(miss.rank);
    const eligible = ranks.length;
    const outscored = checked.filter(({ rival }) => rival).length;
    // Each miss: the probe, the mate's full-matcher score, and whether another finger scores as well (one worker's first such finger).
    const misses = checked.map(({ miss, rival }) => `${miss.probe.mate}_${miss.probe.impression} ${miss.mateScore.toFixed(1)} ${rival ? `outscored ${rival.score.toFixed(1)}` : 'missed'}`);

    times.sort((a, b) => a - b);
    cpuTimes.sort((a, b) => a - b);
    const share = (list: number[], k: number) => (list.length === 0 ? 0 : list.filter((r) => r < k).length / list.length);
    const recall = (k: number) => share(ranks, k);
    const json = {
      fingers,
      refused: refused.length,
      workers: options.workers,
      generation_seconds: round(generationSeconds, 1),
      load_seconds: round(loadSeconds, 1),
      bytes_per_finger: Math.round(rssGrowth / fingers),
      held_bytes_per_finger: Math.round(heldBytes / fingers),
      searches: chosen.length,
      search_ms_median: round(times[Math.floor(times.length / 2)], 0),
      search_ms_p95: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))], 0),
      search_cpu_ms_median: round(cpuTimes[Math.floor(cpuTimes.length / 2)], 0),
      eligible_searches: eligible,
      outscored_misses: outscored,
      recall_top10_unchecked: round(share(unchecked, 10), 3),
      misses: misses.join('; '),
      recall_top1: round(recall(1), 3),
      recall_top10: round(recall(10), 3),
      recall_top100: round(recall(100), 3),
      recall_shortlist: round(recall(SHORTLIST), 3),
      shortlist: SHORTLIST,
      final_top1: round(finalFirst / chosen.length, 3),
    };
    const rows: Row[] = [
      { measure: 'fingers held (refused)', value: `${fingers.toLocaleString('en')} (${refused.length})` },
      { measure: `generated, sealed, written to a snapshot (${generated.toLocaleString('en')} fingers)`, value: `${json.generation_seconds} s` },
      { measure: `loaded from the snapshot, checked and indexed on ${options.workers} workers`, value: `${json.load_seconds} s` },
      { measure: 'memory: resident growth per finger (held: templates + index)', value: `${json.bytes_per_finger} B (${json.held_bytes_per_finger} B)` },
      { measure: `1:N one-finger search, median / p95 of ${chosen.length}`, value: `${json.search_ms_median} / ${json.search_ms_p95} ms` },
      { measure: `1:N one-finger search, CPU time of all threads, median`, value: `${json.search_cpu_ms_median} ms` },
      { measure: `first-stage recall, top 1 / 10 / 100 / ${SHORTLIST} (${eligible} eligible searches)`, value: `${json.recall_top1} / ${json.recall_top10} / ${json.recall_top100} / ${json.recall_shortlist}` },
      { measure: `the same at top 10 before the misses' exhaustive check (${unchecked.length} searches; ${outscored} misses outscored by another finger)`, value: `${json.recall_top10_unchecked}` },
      { measure: 'final answer: mate ranked first (all searches)', value: `${json.final_top1}` },
    ];
    return { tables: [{ title: `Gallery at scale: ${fingers.toLocaleString('en')} fingers`, rows }], json };
  } finally {
    await gallery?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** `gallery --population-only --fingers N`: N generated fingers, timed (wall and CPU of all threads), checked distinct by their encoded bytes' digests. */
async function runPopulationBench(options: GalleryBenchOptions) {
  const digests = new Set<string>();
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  await generatePopulation(
    options.fingers,
    (batch) => {
      bytes += batch.bytes.length;
      for (const template of batchTemplates(batch)) digests.add(createHash('sha1').update(template).digest('base64'));
    },
    { workers: options.workers },
  );
  const cpu = process.cpuUsage(cpu0);
  const json = {
    fingers: options.fingers,
    distinct: digests.size,
    workers: options.workers,
    generation_seconds: round((performance.now() - started) / 1000, 1),
    generation_cpu_seconds: round((cpu.user + cpu.system) / 1e6, 1),
    template_bytes_mean: Math.round(bytes / options.fingers),
  };
  const rows: Row[] = [
    { measure: 'fingers made (distinct)', value: `${json.fingers.toLocaleString('en')} (${json.distinct.toLocaleString('en')})` },
    { measure: `time on ${options.workers} workers (CPU time of all threads)`, value: `${json.generation_seconds} s (${json.generation_cpu_seconds} s)` },
    { measure: 'encoded template, mean', value: `${json.template_bytes_mean} B` },
  ];
  return { tables: [{ title: `Synthetic population: ${json.fingers.toLocaleString('en')} fingers`, rows }], json };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
