import { availableParallelism } from 'node:os';
import { prepareTemplate } from '../src/biometrics/matching/prepared-template.ts';
import { startWorker } from '../src/shared/worker-thread.ts';
import { allPairsPerSecond } from './all-pairs.ts';
import { FingerprintGallery } from '../src/biometrics/matching/gallery.ts';
import { seededRandom } from '../src/biometrics/synthetic/random.ts';
import { baseTemplates, perturb } from './gallery-templates.ts';
import type { Row } from './table.ts';

const GALLERY_SIZE = 100_000;

/**
 * Matcher speed: 1:1 comparisons per second on prepared templates (one core), and 1:N search
 * time over a 100,000-finger gallery in worker threads. The gallery is made of real extracted
 * templates (FVC2002 when available, else the test fixtures), each copy moved, rotated, thinned
 * and jittered so that no two are alike — the minutiae counts and layouts of real prints.
 */
export async function runMatcherSpeedBench(): Promise<{ title: string; rows: Row[] }[]> {
  const base = await baseTemplates();
  const prepared = base.map(prepareTemplate);

  const perSecond = allPairsPerSecond(prepared);
  // The same in a fresh thread, as searches run: this thread has decoded images, and its figure
  // has varied more from run to run.
  const worker = startWorker(new URL('./all-pairs-worker.ts', import.meta.url), { workerData: { prepared } });
  const perSecondInWorker = await new Promise<number>((resolve, reject) =>
    worker.once('message', resolve).once('error', reject).once('exit', (code) => reject(new Error(`the timing worker exited (code ${code}) without a result`))),
  );
  await worker.terminate();

  const random = seededRandom(2026);
  const workers = availableParallelism();
  const gallery = new FingerprintGallery({ workers });
  const buildStarted = performance.now();
  for (let i = 0; i < GALLERY_SIZE; i++) gallery.add(`S${i}`, 2, perturb(base[i % base.length], random));
  const probe = [{ position: 2, template: perturb(base[7 % base.length], random) }];
  await gallery.search(probe, { limit: 10 }); // warm-up: workers loaded and compiled
  const buildSeconds = (performance.now() - buildStarted) / 1000;
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    await gallery.search([{ position: 2, template: perturb(base[k % base.length], random) }], { limit: 10 });
    times.push(performance.now() - t0);
  }
  await gallery.close();
  times.sort((x, y) => x - y);

  return [
    {
      title: 'Matcher speed',
      rows: [
        { measure: '1:1 comparisons per second, one core, worker thread', value: Math.round(perSecondInWorker), detail: `${base.length} real templates, all pairs, 3 s; as in a search` },
        { measure: '1:1 comparisons per second, one core, main thread', value: Math.round(perSecond), detail: 'the same, in the process that decoded the images' },
        { measure: `1:N search, ${GALLERY_SIZE.toLocaleString('en-US')} fingers, ${workers} workers (median of 5), ms`, value: Math.round(times[2]), detail: `min ${Math.round(times[0])} ms, max ${Math.round(times[4])} ms` },
        { measure: '1:N gallery load + first search, s', value: buildSeconds, detail: 'prepare and distribute to workers' },
      ],
    },
  ];
}
