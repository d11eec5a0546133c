/**
 * The cluster under load, with real processes: two gateways, two immigration and two criminal
 * replicas, each a `concord serve --node …` child, on the PostgreSQL and NATS of DATABASE_URL and
 * NATS_URL (in schemas and a stream of the run's own, dropped afterwards). Clients send requests
 * over HTTP, several at a time, and retry the same TCN when told to ("not now") or when a gateway
 * is unreachable; latency is the client's, retries included.
 *
 *   npm run bench -- cluster [--requests 40]
 *
 * Rows: bookings and rapid identifications through one gateway, then two; the same while a
 * criminal replica is killed (SIGKILL) and restarted; rapid identifications while bookings flood
 * the cluster (no retries, so refusals are counted).
 */
import { LocalCluster } from '../src/testing/cluster-processes.ts';
import { GatewayClient, runConcurrently, type Answer } from '../src/testing/gateway-client.ts';
import { bookingParts, enrollmentParts, identificationParts, PERSONS } from '../src/testing/cluster-workload.ts';
import type { Row } from './table.ts';

const CONCURRENCY = 8;
const FLOOD_CONCURRENCY = 32;

export async function runClusterBench(flags: Record<string, string | true> = {}): Promise<Row[]> {
  const requests = Number(flags.requests ?? 40);
  if (!Number.isInteger(requests) || requests < 5) throw new Error('--requests=N takes a whole number of at least 5');
  const databaseUrl = process.env.DATABASE_URL;
  const natsUrl = process.env.NATS_URL;
  if (!databaseUrl || !natsUrl) return [{ workload: 'skipped: the cluster runs on PostgreSQL and NATS (set DATABASE_URL and NATS_URL)' }];
  const cluster = await LocalCluster.create({ databaseUrl, natsUrl, env: { CONCORD_RATE_LIMIT_USER: '1000000', CONCORD_RATE_LIMIT_AGENCY: '1000000' } });
  const rows: Row[] = [];
  const run = Date.now().toString(36);
  try {
    const started = performance.now();
    for (const node of ['gateway', 'immigration', 'criminal'] as const) for (const k of [1, 2]) await cluster.start(node, `${node}-${k}`);
    const tokens = await cluster.registerDemoAccess();
    rows.push({ workload: 'start 6 processes (2 gateways, 2 + 2 repository replicas)', gateways: '', requests: '', 'tx/s': '', p50: '', p95: '', note: `${((performance.now() - started) / 1000).toFixed(1)} s` });
    const [one, two] = [new GatewayClient(cluster.gatewayUrls().slice(0, 1), tokens), new GatewayClient(cluster.gatewayUrls(), tokens)];
    for (const [k, person] of PERSONS.entries()) {
      await expectOk(await two.post('/v1/encounters', 'port', enrollmentParts(`BENCH-POE-${run}-${k}`, person), k));
      await expectOk(await two.post('/v1/bookings', 'booking', bookingParts(`BENCH-SEED-${run}-${k}`, person, 1), k));
    }
    const book = (client: GatewayClient, label: string) => (k: number) => client.post('/v1/bookings', 'booking', bookingParts(`${label}-${run}-${k}`, PERSONS[k % PERSONS.length]), k);
    const identify = (client: GatewayClient, label: string) => (k: number) => client.post('/v1/identify?purpose=C', 'field', identificationParts(`${label}-${run}-${k}`, PERSONS[k % PERSONS.length]), k);
    // Warm-up: each gateway's extraction workers and each replica's code paths.
    await runConcurrently(8, 4, book(two, 'WARM-CAR'));
    await runConcurrently(8, 4, identify(two, 'WARM-RPIS'));

    rows.push(await measure('bookings', 1, requests, book(one, 'B1')));
    rows.push(await measure('rapid identifications', 1, requests, identify(one, 'I1')));
    rows.push(await measure('bookings', 2, requests, book(two, 'B2')));
    rows.push(await measure('rapid identifications', 2, requests, identify(two, 'I2')));
    for (const [workload, job] of [['bookings', book(two, 'BK')], ['rapid identifications', identify(two, 'IK')]] as const) {
      let restarted = 0;
      const killed = Math.floor(requests * 0.2);
      const back = Math.floor(requests * 0.5);
      let answered = 0;
      let chain = Promise.resolve();
      const row = await measure(`${workload}, criminal replica killed and restarted`, 2, requests, async (k) => {
        const answer = await job(k);
        answered++;
        if (answered === killed) chain = chain.then(() => cluster.kill('criminal-1'));
        if (answered === back) chain = chain.then(async () => {
          const t = performance.now();
          await cluster.restart('criminal-1');
          restarted = performance.now() - t;
        });
        return answer;
      });
      await chain;
      row.note = `${row.note}; SIGKILL after ${killed} answers, restart begun after ${back} (ready in ${(restarted / 1000).toFixed(1)} s)`;
      rows.push(row);
    }
    rows.push(...(await flood(cluster.gatewayUrls(), tokens, requests, run)));
  } finally {
    await cluster.close();
  }
  return rows;
}

/** Rapid identifications, a few at a time, while bookings are sent 32 at a time without retries. */
async function flood(gateways: string[], tokens: Record<string, string>, requests: number, run: string): Promise<Row[]> {
  const client = new GatewayClient(gateways, tokens, { retry: false });
  let flooding = true;
  const bookings: Answer[] = [];
  let sent = 0;
  const floodStarted = performance.now();
  const flooders = Array.from({ length: FLOOD_CONCURRENCY }, async () => {
    while (flooding) {
      const k = sent++;
      bookings.push(await client.post('/v1/bookings', 'booking', bookingParts(`FLOOD-CAR-${run}-${k}`, PERSONS[k % PERSONS.length]), k));
    }
  });
  // Let the flood build up before measuring.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const row = await measure('rapid identifications during a booking flood', 2, requests, (k) => client.post('/v1/identify?purpose=C', 'field', identificationParts(`FLOOD-RPIS-${run}-${k}`, PERSONS[k % PERSONS.length]), k), 4);
  flooding = false;
  await Promise.all(flooders);
  const seconds = (performance.now() - floodStarted) / 1000;
  const ok = bookings.filter((b) => b.status === 200);
  const refused = bookings.filter((b) => b.status === 503);
  const refusedCodes = [...new Set(refused.map((b) => b.body?.error?.code))].join(', ');
  const latencies = ok.map((b) => b.ms);
  return [
    row,
    {
      workload: `the booking flood (${FLOOD_CONCURRENCY} at a time, no retries)`,
      gateways: 2,
      requests: bookings.length,
      'tx/s': (ok.length / seconds).toFixed(2),
      p50: ms(quantile(latencies, 0.5)),
      p95: ms(quantile(latencies, 0.95)),
      note: `${ok.length} booked, ${refused.length} refused with 503${refusedCodes ? ` (${refusedCodes})` : ''}, ${bookings.length - ok.length - refused.length} other`,
    },
  ];
}

async function measure(workload: string, gateways: number, count: number, job: (k: number) => Promise<Answer>, concurrency = CONCURRENCY): Promise<Row> {
  const started = performance.now();
  const answers = await runConcurrently(count, concurrency, job);
  const seconds = (performance.now() - started) / 1000;
  const ok = answers.filter((a) => a.status === 200);
  const retried = answers.filter((a) => a.retries.length > 0).length;
  const failed = answers.length - ok.length;
  const codes = [...new Set(answers.filter((a) => a.status !== 200).map((a) => `${a.status} ${a.body?.error?.code ?? ''}`.trim()))].join(', ');
  return {
    workload,
    gateways,
    requests: count,
    'tx/s': (ok.length / seconds).toFixed(2),
    p50: ms(quantile(ok.map((a) => a.ms), 0.5)),
    p95: ms(quantile(ok.map((a) => a.ms), 0.95)),
    note: `${concurrency} at a time; ${retried} retried${failed ? `; ${failed} not answered 200 (${codes})` : ''}`,
  };
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function ms(value: number): string {
  return Number.isNaN(value) ? '' : `${value.toFixed(0)} ms`;
}

async function expectOk(answer: Answer): Promise<void> {
  if (answer.status !== 200) throw new Error(`seeding the cluster failed: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
}
