import { randomBytes } from 'node:crypto';
import type { Sql } from '../infra/db/database.ts';
import type { Gateway } from './gateway.ts';
import { escalateOverdueConfirmations } from './hit-confirmation.ts';
import { acquireLease, releaseLease, startRunIfDue } from './leases.ts';
import { runRetention, type RetentionRules } from './retention.ts';

/** A job that runs on one gateway process at a time, every so often, under a lease of its name. */
export interface LeasedJob {
  name: string;
  everySeconds: number;
  run: () => Promise<unknown>;
}

export interface RunningJobs {
  /** This process's name in the leases table. */
  holder: string;
  /** Stops asking for leases, waits for a job in progress, and gives up the leases held. */
  stop(): Promise<void>;
}

/**
 * The gateway's scheduled jobs: the daily retention purge (it also runs on demand: POST
 * /v1/admin/retention/run) and, every minute, the escalation of unanswered hit confirmations
 * (domain brief 5.6). However many gateway processes run, each job runs on the one that holds its
 * lease; when that process dies, another takes the lease over within `leaseSeconds`.
 */
export function startGatewayJobs(gateway: Gateway, options: { replica: string; leaseSeconds: number; retention: RetentionRules; log: (line: string) => void }): RunningJobs {
  const ctx = gateway.context;
  return runLeasedJobs(gateway.database, options.replica, options.leaseSeconds, options.log, [
    { name: 'retention-purge', everySeconds: 24 * 60 * 60, run: () => runRetention(ctx, undefined, options.retention) },
    { name: 'hit-confirmation-escalation', everySeconds: 60, run: () => escalateOverdueConfirmations(ctx) },
  ]);
}

/**
 * Asks for each job's lease every third of the lease time (so a live holder renews it twice before
 * it could expire), and runs a job whose lease it holds when the job is due.
 */
export function runLeasedJobs(db: Sql, replica: string, leaseSeconds: number, log: (line: string) => void, jobs: readonly LeasedJob[]): RunningJobs {
  // Two processes started with one replica name must still be two holders.
  const holder = `${replica}/${process.pid}/${randomBytes(3).toString('hex')}`;
  const held = new Set<string>();
  const running = new Map<string, Promise<void>>();
  let stopped = false;

  const tickJob = async (job: LeasedJob): Promise<void> => {
    const lease = await acquireLease(db, job.name, holder, leaseSeconds);
    if (lease && !held.has(job.name)) log(`lease ${job.name}: held by ${holder}`);
    if (!lease && held.has(job.name)) log(`lease ${job.name}: lost by ${holder}`);
    if (lease) held.add(job.name);
    else held.delete(job.name);
    if (!lease || running.has(job.name) || stopped) return;
    if (!(await startRunIfDue(db, job.name, holder, job.everySeconds))) return;
    const run = job
      .run()
      .then(() => undefined, (error: unknown) => log(`${job.name} failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
  };
  const tick = async (): Promise<void> => {
    for (const job of jobs) {
      // A database that does not answer now may answer at the next tick; the lease then passes on if it must.
      await tickJob(job).catch((error: unknown) => log(`lease ${job.name}: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  let ticking = tick();
  const timer = setInterval(() => {
    ticking = ticking.then(tick);
  }, (leaseSeconds * 1000) / 3);
  timer.unref();

  return {
    holder,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await ticking;
      await Promise.all(running.values());
      for (const name of held) await releaseLease(db, name, holder).catch(() => undefined);
      held.clear();
    },
  };
}
