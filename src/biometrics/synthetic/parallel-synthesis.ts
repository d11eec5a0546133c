import { availableParallelism } from 'node:os';
import { ConcordError } from '../../shared/errors.ts';
import { startWorker } from '../../shared/worker-thread.ts';
import type { GrayImage } from '../gray-image.ts';
import { runSynthesisJob, type SynthesisJob } from './synthesis-job.ts';

/**
 * Runs synthesis jobs on worker threads (one per core by default), handing each job's images to
 * `onImages` as soon as they are ready, in completion order; the consumer (e.g. a file writer)
 * is awaited before that worker gets its next job, so memory stays bounded. The images depend
 * only on the jobs, never on which worker ran them or when. With one worker it runs in-thread.
 */
export async function synthesizeInParallel(
  jobs: readonly SynthesisJob[],
  onImages: (jobIndex: number, images: GrayImage[]) => void | Promise<void>,
  workers = availableParallelism(),
): Promise<void> {
  if (!Number.isInteger(workers) || workers < 1) throw new ConcordError('BAD_ARGUMENT', `workers must be a whole number ≥ 1, got ${workers}`, { field: 'workers' });
  if (workers === 1 || jobs.length <= 1) {
    for (let i = 0; i < jobs.length; i++) await onImages(i, runSynthesisJob(jobs[i]));
    return;
  }
  let next = 0;
  const lanes = Array.from({ length: Math.min(workers, jobs.length) }, async () => {
    const worker = startWorker(new URL('./synthesis-worker.ts', import.meta.url));
    try {
      while (next < jobs.length) {
        const index = next++;
        const images = await new Promise<GrayImage[]>((resolve, reject) => {
          const onError = (error: Error) => reject(error);
          worker.once('error', onError);
          worker.once('message', (reply: { images?: GrayImage[]; error?: { code: string; message: string; where: Record<string, string | number | boolean> } }) => {
            worker.off('error', onError);
            if (reply.error) reject(new ConcordError(reply.error.code, reply.error.message, reply.error.where));
            else resolve(reply.images!);
          });
          worker.postMessage({ id: index, job: jobs[index] });
        });
        await onImages(index, images);
      }
    } catch (error) {
      next = jobs.length; // stop handing out work: the run has failed
      throw error;
    } finally {
      await worker.terminate();
    }
  });
  await Promise.all(lanes);
}
