import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL. Concord runs its TypeScript sources directly (tsx),
 * and a worker is a fresh isolate that does not inherit the parent's loader, so a `.ts` module is
 * started through a small JavaScript bootstrap that registers the loader first.
 */
export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  return new Worker(new URL('./ts-worker-bootstrap.mjs', import.meta.url), {
    ...options,
    workerData: { ...(options.workerData ?? {}), __concordWorkerEntry: moduleUrl.href },
  });
}
