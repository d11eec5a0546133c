/**
 * What keeping the gateway's state in its database costs each request: a rate-limit check (one
 * statement per API request), a failed-credentials block check, and a lease renewal (a scheduled
 * job's holder, every third of the lease time). Embedded PGlite always; PostgreSQL too when
 * DATABASE_URL is set (two connection pools on one schema, as two gateway processes hold them).
 * `npm run bench -- shared-state`
 */
import { FailureLimiter, RateLimiter } from '../src/gateway/rate-limit.ts';
import { acquireLease } from '../src/gateway/leases.ts';
import { openSharedGatewayDatabase } from '../src/testing/shared-gateway-database.ts';
import type { Row } from './table.ts';

const SEQUENTIAL = 2000;
const PARALLEL = 4000;
const IN_FLIGHT = 16;

export async function runSharedStateBench(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const url of [undefined, process.env.DATABASE_URL].filter((u, k) => k === 0 || u)) {
    const shared = await openSharedGatewayDatabase(url, 'bench');
    try {
      const storage = shared.kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL, two pools';
      const limits = { perUserPerMinute: 1_000_000, perAgencyPerMinute: 1_000_000 };
      const limiters = [new RateLimiter(shared.first, 'bench', limits), new RateLimiter(shared.second, 'bench', limits)];
      // 50 users of 5 agencies, as a busy gateway sees them.
      const take = (k: number) => limiters[k % 2].take(`user${k % 50}`, `AG${k % 5}`);
      for (let k = 0; k < 200; k++) await take(k); // warm-up
      rows.push({ storage, operation: 'rate-limit check, one at a time', ...(await sequential(SEQUENTIAL, take)) });
      rows.push({ storage, operation: `rate-limit check, ${IN_FLIGHT} in flight over two gateways`, ...(await parallel(PARALLEL, take)) });
      const failures = new FailureLimiter(shared.first);
      rows.push({ storage, operation: 'failed-credentials block check', ...(await sequential(SEQUENTIAL, (k) => failures.check(`10.1.${k % 200}.1`))) });
      const holders = ['gateway-a', 'gateway-b'];
      rows.push({ storage, operation: 'lease renewal (holder renews)', ...(await sequential(SEQUENTIAL, () => acquireLease(shared.first, 'bench-job', holders[0], 30))) });
      rows.push({ storage, operation: 'lease refused (another holds it)', ...(await sequential(SEQUENTIAL, () => acquireLease(shared.second, 'bench-job', holders[1], 30))) });
    } finally {
      await shared.close();
    }
  }
  return rows;
}

async function sequential(count: number, work: (k: number) => Promise<unknown>): Promise<Row> {
  const times: number[] = [];
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const at = performance.now();
    await work(k);
    times.push(performance.now() - at);
  }
  return summary(times, performance.now() - started);
}

async function parallel(count: number, work: (k: number) => Promise<unknown>): Promise<Row> {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const k = next++;
        const at = performance.now();
        await work(k);
        times.push(performance.now() - at);
      }
    }),
  );
  return summary(times, performance.now() - started);
}

function summary(times: number[], totalMs: number): Row {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: `${at(0.5).toFixed(2)} ms`, p95: `${at(0.95).toFixed(2)} ms`, 'per s': Math.round((times.length / totalMs) * 1000), n: times.length };
}
