import { availableParallelism } from 'node:os';
import { ConcordError } from '../../shared/errors.ts';
import { startWorker } from '../../shared/worker-thread.ts';
import { populationBatch, type PopulationBatch } from './population-batch.ts';

/** Fingers per batch: large enough that messages cost nothing, small enough that memory stays bounded. */
const BATCH = 5000;

/**
 * Makes fingers `firstSeed` … `firstSeed + count − 1` of the synthetic population on worker
 * threads (one per core by default), handing each batch to `onBatch` in seed order, awaited
 * before more are made. The templates depend only on their seeds.
 */
export async function generatePopulation(
  count: number,
  onBatch: (batch: PopulationBatch) => void | Promise<void>,
  options: { firstSeed?: number; workers?: number } = {},
): Promise<void> {
  const firstSeed = options.firstSeed ?? 1;
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 0) throw new ConcordError('BAD_ARGUMENT', `a population is a whole number of fingers, got ${count}`, { field: 'count' });
  if (!Number.isInteger(workers) || workers < 1) throw new ConcordError('BAD_ARGUMENT', `workers must be a whole number ≥ 1, got ${workers}`, { field: 'workers' });
  const batches = Math.ceil(count / BATCH);
  const size = (b: number) => Math.min(BATCH, count - b * BATCH);
  if (workers === 1) {
    for (let b = 0; b < batches; b++) await onBatch(populationBatch(firstSeed + b * BATCH, size(b)));
    return;
  }
  const threads = Array.from({ length: Math.min(workers, batches) }, () => startWorker(new URL('./population-worker.ts', import.meta.url)));
  const make = (b: number) =>
    new Promise<PopulationBatch>((resolve, reject) => {
      const thread = threads[b % threads.length];
      thread.once('error', reject);
      thread.once('message', (batch: PopulationBatch) => {
        thread.off('error', reject);
        resolve(batch);
      });
      thread.postMessage({ first: firstSeed + b * BATCH, count: size(b) });
    });
  try {
    // Each thread works on one batch ahead of the one being handed over.
    const inFlight: Promise<PopulationBatch>[] = [];
    for (let b = 0; b < Math.min(threads.length, batches); b++) inFlight.push(make(b));
    for (let b = 0; b < batches; b++) {
      const batch = await inFlight.shift()!;
      if (b + threads.length < batches) inFlight.push(make(b + threads.length));
      await onBatch(batch);
    }
  } finally {
    await Promise.all(threads.map((t) => t.terminate()));
  }
}
