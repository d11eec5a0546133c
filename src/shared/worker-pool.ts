import { parentPort, type Worker } from 'node:worker_threads';
import { ConcordError } from './errors.ts';
import { AdmissionGate } from './admission-gate.ts';
import type { Priority } from './request-context.ts';
import { startWorker } from './worker-thread.ts';

/** A job's outcome as it crosses between threads: a value, or an error as plain data. */
type Outcome<R> =
  | { ready: true }
  | { id: number; ok: true; value: R } | { id: number; ok: false; error: { code?: string; message: string; where?: Record<string, string | number | boolean> } };

interface Pending<R> {
  id: number;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

interface Lane<R> {
  worker: Worker;
  /** Settles once the worker has loaded its code and serves jobs. */
  ready: Promise<void>;
  running?: Pending<R>;
}

/**
 * A fixed number of worker threads running jobs of one kind, so that CPU-heavy work (decoding,
 * extraction) never holds the event loop that answers everyone else. Workers start on the first
 * job and do not keep the process alive. Jobs beyond the workers wait in bounded queues, an
 * interactive job ahead of bulk ones; when its queue is full a job is refused at once with BUSY
 * (ask again shortly) rather than piling up. A ConcordError thrown in a worker reaches the caller
 * as a ConcordError.
 */
export class WorkerPool<J, R> {
  private readonly lanes: Lane<R>[] = [];
  private nextId = 1;
  /** One place per worker: a job admitted always finds a free lane. */
  readonly gate: AdmissionGate;

  constructor(
    private readonly moduleUrl: URL,
    private readonly options: { workers: number; queued: Record<Priority, number>; retryAfterSeconds: number; what: string },
  ) {
    this.gate = new AdmissionGate(`the pool of workers for ${options.what}`, { concurrent: options.workers, queued: options.queued, retryAfterSeconds: options.retryAfterSeconds });
  }

  async run(job: J, priority: Priority = 'interactive'): Promise<R> {
    const release = await this.gate.admit(priority);
    try {
      return await new Promise<R>((resolve, reject) => {
        const lane = this.lanes.find((l) => !l.running) ?? this.startLane();
        const pending = { id: this.nextId++, resolve, reject };
        lane.running = pending;
        lane.worker.ref(); // a job under way keeps the process alive; an idle worker does not
        lane.worker.postMessage({ id: pending.id, job });
      });
    } finally {
      release();
    }
  }

  /** Starts every worker now and waits until each serves, so that the first jobs do not wait for threads to load their code. */
  async start(): Promise<void> {
    while (this.lanes.length < this.options.workers) this.startLane();
    await Promise.all(this.lanes.map((lane) => lane.ready));
  }

  async close(): Promise<void> {
    const lanes = this.lanes.splice(0);
    await Promise.all(lanes.map((lane) => lane.worker.terminate()));
  }

  private startLane(): Lane<R> {
    const worker = startWorker(this.moduleUrl);
    let ready = () => {};
    let failed: (error: Error) => void = () => {};
    const lane: Lane<R> = { worker, ready: new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject))) };
    lane.ready.catch(() => undefined); // a worker that fails to start fails its jobs; waiting for it need not
    worker.on('message', (outcome: Outcome<R>) => {
      if ('ready' in outcome) return ready();
      const pending = lane.running;
      if (!pending || pending.id !== outcome.id) return;
      lane.running = undefined;
      worker.unref();
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.error.code ? new ConcordError(outcome.error.code, outcome.error.message, outcome.error.where ?? {}) : new Error(outcome.error.message));
    });
    // A worker that dies takes its job with it; the next job gets a fresh worker.
    const lost = (error: Error) => {
      failed(error);
      const index = this.lanes.indexOf(lane);
      if (index < 0) return;
      this.lanes.splice(index, 1);
      lane.running?.reject(error);
      lane.running = undefined;
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`${this.options.what} worker stopped (exit code ${code})`)));
    // After the listeners: adding a 'message' listener references the worker again.
    worker.unref();
    this.lanes.push(lane);
    return lane;
  }
}

/** The worker side of a pool: runs each job it is sent with `handle` and posts back the outcome. */
export function serveJobs<J, R>(handle: (job: J) => R | Promise<R>): void {
  const port = parentPort!;
  port.on('message', async ({ id, job }: { id: number; job: J }) => {
    let outcome: Outcome<R>;
    try {
      outcome = { id, ok: true, value: await handle(job) };
    } catch (error) {
      outcome = {
        id,
        ok: false,
        error: error instanceof ConcordError ? { code: error.code, message: error.message, where: { ...error.where } } : { message: error instanceof Error ? error.message : String(error) },
      };
    }
    port.postMessage(outcome);
  });
  port.postMessage({ ready: true } satisfies Outcome<R>);
}
