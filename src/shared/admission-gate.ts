import { ConcordError } from './errors.ts';
import type { Priority } from './request-context.ts';

export interface AdmissionLimits {
  /** How many may run at once. */
  concurrent: number;
  /** How many of each priority may wait for a place; beyond that they are refused at once. */
  queued: Record<Priority, number>;
  /** What a refusal tells the client to wait before asking again. */
  retryAfterSeconds: number;
  /**
   * Places only interactive work may take (none by default): so that an officer's request finds
   * one free at once even while bulk work could fill them all, rather than wait for a booking to end.
   */
  reservedForInteractive?: number;
}

interface Waiter {
  admit: () => void;
}

/**
 * Admission under overload: a fixed number of places, and two bounded queues in front of them.
 * A freed place goes to waiting interactive work before any bulk work, so a person in front of an
 * officer does not wait behind a batch. When a priority's queue is full the work is refused at
 * once with BUSY and a time to retry, rather than queued without bound (a queue that only grows
 * gives everyone a slow answer instead of some a quick refusal). Bulk work may be kept out of a
 * few places, reserved for interactive work.
 */
export class AdmissionGate {
  private readonly running: Record<Priority, number> = { interactive: 0, bulk: 0 };
  private readonly waiting: Record<Priority, Waiter[]> = { interactive: [], bulk: [] };
  private readonly refusals: Record<Priority, number> = { interactive: 0, bulk: 0 };

  constructor(
    /** What the gate guards, as a refusal names it ("the gateway", "the criminal repository"). */
    readonly name: string,
    private readonly limits: AdmissionLimits,
  ) {}

  /**
   * Waits for a place and resolves with the function that frees it (call it once the work is
   * done; calling it again does nothing). `wait` lets work that must not be refused (a durable
   * event) wait beyond the queue bound. `signal` withdraws a waiting request (its client left).
   */
  admit(priority: Priority, options: { wait?: boolean; signal?: AbortSignal } = {}): Promise<() => void> {
    if (this.waiting[priority].length === 0 && this.hasPlaceFor(priority)) {
      this.running[priority]++;
      return Promise.resolve(this.release(priority));
    }
    const queue = this.waiting[priority];
    if (!options.wait && queue.length >= this.limits.queued[priority]) {
      this.refusals[priority]++;
      const retryAfter = this.limits.retryAfterSeconds;
      return Promise.reject(new ConcordError('BUSY', `${this.name} is busy: try again in ${retryAfter} s`, { retryAfter, priority }));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { admit: () => resolve(this.release(priority)) };
      queue.push(waiter);
      options.signal?.addEventListener('abort', () => {
        const index = queue.indexOf(waiter);
        if (index < 0) return;
        queue.splice(index, 1);
        reject(new ConcordError('BUSY', 'withdrawn while waiting for a place', { priority }));
      }, { once: true });
    });
  }

  /** Runs `work` once admitted, and frees its place when it settles. */
  async run<T>(priority: Priority, work: () => Promise<T>, options: { wait?: boolean } = {}): Promise<T> {
    const release = await this.admit(priority, options);
    try {
      return await work();
    } finally {
      release();
    }
  }

  get stats(): { running: number; queued: Record<Priority, number>; refused: Record<Priority, number> } {
    return { running: this.running.interactive + this.running.bulk, queued: { interactive: this.waiting.interactive.length, bulk: this.waiting.bulk.length }, refused: { ...this.refusals } };
  }

  private hasPlaceFor(priority: Priority): boolean {
    const free = this.limits.concurrent - this.running.interactive - this.running.bulk;
    if (priority === 'interactive') return free > 0;
    const bulkPlaces = Math.max(1, this.limits.concurrent - (this.limits.reservedForInteractive ?? 0));
    return free > 0 && this.running.bulk < bulkPlaces;
  }

  private release(priority: Priority): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running[priority]--;
      // Freed places go to those waiting, interactive first, counted at once so nothing arriving meanwhile can take them.
      for (const next of ['interactive', 'bulk'] as const) {
        while (this.waiting[next].length > 0 && this.hasPlaceFor(next)) {
          this.running[next]++;
          this.waiting[next].shift()!.admit();
        }
      }
    };
  }
}
