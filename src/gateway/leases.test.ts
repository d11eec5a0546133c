import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openSharedGatewayDatabase, type SharedGatewayDatabase } from '../testing/shared-gateway-database.ts';
import { runLeasedJobs } from './gateway-jobs.ts';
import { acquireLease, leaseHolder, releaseLease, startRunIfDue } from './leases.ts';

describe.each([['embedded', undefined], ['PostgreSQL', process.env.DATABASE_URL]] as const)('leases of the gateway jobs (%s)', (name, url) => {
  const skip = name === 'PostgreSQL' && !url;
  let shared: SharedGatewayDatabase;
  beforeAll(async () => {
    if (!skip) shared = await openSharedGatewayDatabase(url, 'leases');
  });
  afterAll(async () => shared?.close());
  const expire = (lease: string) => shared.first.query(`UPDATE leases SET expires_at = clock_timestamp() - interval '1 second' WHERE name = $1`, [lease]);

  it.skipIf(skip)('pass to a second holder only once the first has stopped renewing and the lease expired', async () => {
    const taken = await acquireLease(shared.first, 'purge', 'gateway-a', 30);
    expect(taken).toMatchObject({ holder: 'gateway-a' });
    expect(await acquireLease(shared.second, 'purge', 'gateway-b', 30)).toBeUndefined();
    expect(await acquireLease(shared.first, 'purge', 'gateway-a', 30)).toMatchObject({ holder: 'gateway-a', heldSince: taken!.heldSince }); // renewed, held since it was taken
    await expire('purge'); // gateway-a died and its lease ran out
    const takenOver = await acquireLease(shared.second, 'purge', 'gateway-b', 30);
    expect(takenOver).toMatchObject({ holder: 'gateway-b' });
    expect(takenOver!.heldSince).not.toBe(taken!.heldSince);
    // The old holder, back from a pause, neither renews it nor runs the job.
    expect(await acquireLease(shared.first, 'purge', 'gateway-a', 30)).toBeUndefined();
    expect(await startRunIfDue(shared.first, 'purge', 'gateway-a', 0)).toBe(false);
    expect((await leaseHolder(shared.first, 'purge'))?.holder).toBe('gateway-b');
    // A polite stop hands it on at once.
    await releaseLease(shared.second, 'purge', 'gateway-b');
    expect(await acquireLease(shared.first, 'purge', 'gateway-a', 30)).toMatchObject({ holder: 'gateway-a' });
  });

  it.skipIf(skip)('run a due job once, whichever holder has it, and not again before it is due', async () => {
    await acquireLease(shared.first, 'daily', 'gateway-a', 30);
    // A lease created now counts its job as just run: a daily job does not run at every first start.
    expect(await startRunIfDue(shared.first, 'daily', 'gateway-a', 86_400)).toBe(false);
    await shared.first.query(`UPDATE leases SET last_run_at = clock_timestamp() - interval '2 days' WHERE name = 'daily'`);
    expect(await startRunIfDue(shared.first, 'daily', 'gateway-a', 86_400)).toBe(true);
    await expire('daily');
    await acquireLease(shared.second, 'daily', 'gateway-b', 30);
    expect(await startRunIfDue(shared.second, 'daily', 'gateway-b', 86_400)).toBe(false); // just run by the one before
  });

  it.skipIf(skip)('let exactly one of two gateways run a job, and the other take over within the lease time when the first stops', async () => {
    const runs: string[] = [];
    const log: string[] = [];
    const job = (gateway: string) => [{ name: 'escalation', everySeconds: 0.2, run: async () => void runs.push(gateway) }];
    const a = runLeasedJobs(shared.first, 'gateway-a', 1, (line) => log.push(line), job('a'));
    await vi.waitFor(() => expect(runs).toContain('a'), { timeout: 5000 });
    const b = runLeasedJobs(shared.second, 'gateway-b', 1, (line) => log.push(line), job('b'));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several lease periods with both running
    expect(runs.every((gateway) => gateway === 'a')).toBe(true);
    // gateway-a goes away without handing the lease on: it is taken over once it has expired.
    await a.stop();
    await shared.first.query(`UPDATE leases SET holder = 'a-dead', expires_at = clock_timestamp() + interval '1 second' WHERE name = 'escalation'`);
    const stoppedAt = Date.now();
    await vi.waitFor(() => expect(runs).toContain('b'), { timeout: 5000 });
    expect(Date.now() - stoppedAt).toBeLessThan(2500); // the lease time (1 s) and one renewal period
    expect(log).toContain(`lease escalation: held by ${b.holder}`);
    await b.stop();
  });
});
