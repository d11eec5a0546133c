import { availableParallelism } from 'node:os';
import { startWorker } from '../shared/worker-thread.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';

/**
 * Synthetic prints for the demo population, made in worker threads (one per core): for each
 * request, the given impressions of a subject's fingers, as templates ready for the bus, and
 * optionally the PNG of each image so people can try the demo with real files.
 */
export interface PrintRequest {
  subjectSeed: number;
  positions: number[];
  impressions: number[];
  png?: boolean;
}

export interface PrintResult {
  subjectSeed: number;
  /** impressions[k] holds the fingers of request.impressions[k]. */
  impressions: { fingers: FingerPayload[]; pngs: { position: number; png: Uint8Array }[] }[];
}

export async function makeSyntheticPrints(requests: PrintRequest[], workers = availableParallelism()): Promise<PrintResult[]> {
  const results: PrintResult[] = new Array(requests.length);
  let next = 0;
  const pool = Array.from({ length: Math.max(1, Math.min(workers, requests.length)) }, async () => {
    const worker = startWorker(new URL('./synthetic-prints-worker.ts', import.meta.url));
    try {
      while (next < requests.length) {
        const index = next++;
        results[index] = await new Promise<PrintResult>((resolve, reject) => {
          const fail = (error: Error) => reject(error);
          worker.once('error', fail);
          worker.once('message', (result: PrintResult) => {
            worker.off('error', fail);
            resolve(result);
          });
          worker.postMessage(requests[index]);
        });
      }
    } finally {
      await worker.terminate();
    }
  });
  await Promise.all(pool);
  return results;
}
