import { availableParallelism } from 'node:os';
import type { GrayImage } from '../src/biometrics/gray-image.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { startWorker } from '../src/shared/worker-thread.ts';

export type PairTask = { kind: 'extract'; images: GrayImage[] } | { kind: 'score'; templates: FingerprintTemplate[]; rows: number[] };

/** Runs one task per thread, one thread per core, and gives back their answers in order. */
async function inThreads<T>(tasks: PairTask[]): Promise<T[]> {
  return Promise.all(
    tasks.map(async (task) => {
      const worker = startWorker(new URL('./pair-scores-worker.ts', import.meta.url), { workerData: { task } });
      try {
        return await new Promise<T>((resolve, reject) =>
          worker.once('message', resolve).once('error', reject).once('exit', (code) => reject(new Error(`a pair-scores worker exited (code ${code}) without a result`))),
        );
      } finally {
        await worker.terminate();
      }
    }),
  );
}

const threads = () => Math.max(1, availableParallelism());

/** Templates of images, extracted on every core. */
export async function extractAll(images: readonly GrayImage[]): Promise<FingerprintTemplate[]> {
  const n = threads();
  const shares = Array.from({ length: n }, (_, w) => images.filter((_, k) => k % n === w));
  const results = await inThreads<FingerprintTemplate[]>(shares.map((share) => ({ kind: 'extract', images: share })));
  return images.map((_, k) => results[k % n][Math.floor(k / n)]);
}

/**
 * The score of every unordered pair of templates, template a compared with template b > a, as
 * one triangle (see `pairIndex`), on every core.
 */
export async function allPairScores(templates: readonly FingerprintTemplate[]): Promise<Float32Array> {
  const n = templates.length;
  const t = threads();
  // Rows dealt in turn, so that long and short rows spread evenly.
  const rowsOf = Array.from({ length: t }, (_, w) => Array.from({ length: n }, (_, a) => a).filter((a) => a % t === w));
  const results = await inThreads<Float32Array[]>(rowsOf.map((rows) => ({ kind: 'score', templates: [...templates], rows })));
  const triangle = new Float32Array((n * (n - 1)) / 2);
  rowsOf.forEach((rows, w) => rows.forEach((a, k) => triangle.set(results[w][k], pairIndex(n, a, a + 1))));
  return triangle;
}

/** Where the score of templates a and b (a ≠ b) sits in an all-pairs triangle of n templates. */
export function pairIndex(n: number, a: number, b: number): number {
  if (a > b) [a, b] = [b, a];
  return a * n - (a * (a + 1)) / 2 + (b - a - 1);
}
