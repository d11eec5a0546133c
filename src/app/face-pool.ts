import { availableParallelism } from 'node:os';
import { WorkerPool } from '../shared/worker-pool.ts';
import { currentContext } from '../shared/request-context.ts';
import type { AnalysedPhoto, AnalysedRecordPhoto } from './face-photo.ts';

/** A photo sent on its own, or a transaction whose Type-10 face is to be found and analysed. */
export type FaceJob = { field: string; bytes: Uint8Array } | { transaction: Uint8Array };

/**
 * The worker threads that analyse face photos (decoding, the face model, the checks), one per
 * core, started on the first photo: a process that never sees a photo never loads the model.
 * Apart from the fingerprint capture pool so that each model is loaded only where it is used.
 */
const workers = Math.max(1, availableParallelism());
const bound = 4 * workers * workers;
const pool = new WorkerPool<FaceJob, AnalysedPhoto | AnalysedRecordPhoto | null>(new URL('./face-worker.ts', import.meta.url), {
  workers,
  queued: { interactive: bound, bulk: bound },
  retryAfterSeconds: 2,
  what: 'face photos',
});

/** A face photo's capture checks, template and stored form. */
export function analysePhotoOnPool(field: string, bytes: Uint8Array): Promise<AnalysedPhoto> {
  return pool.run({ field, bytes }, currentContext()?.priority ?? 'interactive') as Promise<AnalysedPhoto>;
}

/** The frontal Type-10 face of an ANSI/NIST transaction, analysed; null when it carries none. */
export function analyseTransactionFaceOnPool(transaction: Uint8Array): Promise<AnalysedRecordPhoto | null> {
  return pool.run({ transaction }, currentContext()?.priority ?? 'interactive') as Promise<AnalysedRecordPhoto | null>;
}
