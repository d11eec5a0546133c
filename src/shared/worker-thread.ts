import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module URL. Concord runs its TypeScript sources directly (tsx),
 * and a worker is a fresh isolate that does not inherit the parent's loader, so a `.ts` worker
 * is started with tsx's loader.
 */
export function startWorker(moduleUrl: URL, options: WorkerOptions = {}): Worker {
  const isTypeScript = moduleUrl.pathname.endsWith('.ts');
  const execArgv = isTypeScript ? ['--import', 'tsx', ...(options.execArgv ?? [])] : options.execArgv;
  return new Worker(moduleUrl, { ...options, execArgv });
}
