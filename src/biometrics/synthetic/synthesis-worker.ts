import { parentPort } from 'node:worker_threads';
import { ConcordError } from '../../shared/errors.ts';
import { runSynthesisJob, type SynthesisJob } from './synthesis-job.ts';

/** Worker thread: runs synthesis jobs and hands the pixels back without copying them. */
parentPort!.on('message', ({ id, job }: { id: number; job: SynthesisJob }) => {
  try {
    const images = runSynthesisJob(job);
    parentPort!.postMessage({ id, images }, images.map((image) => image.pixels.buffer as ArrayBuffer));
  } catch (error) {
    const typed = error instanceof ConcordError;
    parentPort!.postMessage({ id, error: { code: typed ? error.code : 'SYNTHESIS_FAILED', message: error instanceof Error ? error.message : String(error), where: typed ? error.where : {} } });
  }
});
