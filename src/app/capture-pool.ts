import { availableParallelism } from 'node:os';
import { WorkerPool } from '../shared/worker-pool.ts';
import { currentContext } from '../shared/request-context.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import type { CaptureJob, SingleFinger } from './capture-jobs.ts';
import { checkQuality, type CaptureUse } from './finger-captures.ts';

/**
 * The worker threads that decode and extract every uploaded capture (multipart images and EBTS
 * transactions), one per core: a large image then costs its sender time, not everyone else.
 * A few requests per worker may wait, a person's in front of an officer ahead of bulk work (the
 * request's priority); beyond that the request is refused with BUSY. The gateway's own admission
 * bounds what reaches this pool, so these bounds are a backstop and need no setting of their own.
 */
const workers = Math.max(1, availableParallelism());
/**
 * Jobs of each priority that may wait: what a gateway admits by default (4 requests per core),
 * each shared out over every worker, so that a request the gateway let in is not refused here.
 */
export const CAPTURE_QUEUE_BOUND = 4 * workers * workers;
const pool = new WorkerPool<CaptureJob, FingerPayload[] | SingleFinger>(new URL('./capture-worker.ts', import.meta.url), {
  workers,
  queued: { interactive: CAPTURE_QUEUE_BOUND, bulk: CAPTURE_QUEUE_BOUND },
  retryAfterSeconds: 2,
  what: 'fingerprint images',
});

/** The pool's admission, for its metrics. */
export const capturePoolGate = pool.gate;

const run = (job: CaptureJob) => pool.run(job, currentContext()?.priority ?? 'interactive');

/** Starts the workers ahead of the first upload and waits until they serve (a server does, as it starts). */
export function startCapturePool(): Promise<void> {
  return pool.start();
}

/**
 * Templates (checked for quality, compressed when retained) from finger images with known
 * positions. The fingers of one request are shared out over the workers, so ten large prints
 * take every core rather than one; their quality is checked together once all are back.
 */
export async function templatesFromImages(images: { field: string; position: number; bytes: Uint8Array }[], use: CaptureUse): Promise<FingerPayload[]> {
  const shares = Math.min(workers, images.length);
  if (shares <= 1) return run({ kind: 'fingers', images, use }) as Promise<FingerPayload[]>;
  const parts = Array.from({ length: shares }, (_, k) => images.filter((_, i) => i % shares === k));
  const results = await Promise.all(parts.map((part) => run({ kind: 'fingers', images: part, use, checkQuality: false }) as Promise<FingerPayload[]>));
  const fingers = results.flat().sort((a, b) => a.position - b.position);
  checkQuality(fingers);
  return fingers;
}

/** The template of one image, and the image as the engine saw it. */
export function templateFromImage(field: string, bytes: Uint8Array): Promise<SingleFinger> {
  return run({ kind: 'single', field, bytes }) as Promise<SingleFinger>;
}

/** Templates from the finger images of an ANSI/NIST transaction. */
export function templatesFromTransaction(bytes: Uint8Array, use: CaptureUse): Promise<FingerPayload[]> {
  return run({ kind: 'transaction', bytes, use }) as Promise<FingerPayload[]>;
}
