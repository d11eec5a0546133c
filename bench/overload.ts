/**
 * Rapid identification while bookings flood one process (embedded database, in-process bus):
 * with the priority admission as configured by default, and with every gate opened wide (limits
 * so high that nothing waits at the gateway or the repositories, so nothing there is ordered by
 * priority; the capture workers still serve interactive work first). Officers send
 * identifications two at a time while `--flood` bookings are kept in flight. Run alone:
 *   node --import tsx bench/overload.ts [--flood 24] [--identifications 20]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { readConfig } from '../src/infra/config.ts';
import type { AdmissionLimits } from '../src/shared/admission-gate.ts';
import { bookingParts, enrollmentParts, identificationParts, PERSONS } from '../src/testing/cluster-workload.ts';
import { startTestSystem, type TestSystem } from '../src/testing/test-system.ts';
import { formatTable, type Row } from './table.ts';

const OPEN: AdmissionLimits = { concurrent: 100_000, queued: { interactive: 100_000, bulk: 100_000 }, retryAfterSeconds: 2 };
const UNLIMITED = { perUserPerMinute: Number.MAX_SAFE_INTEGER, perAgencyPerMinute: Number.MAX_SAFE_INTEGER };

export async function runOverloadBench(options: { flood: number; identifications: number }): Promise<Row[]> {
  const defaults = readConfig({}).admission;
  const rows: Row[] = [];
  for (const [mode, admission] of [['priority admission (defaults)', defaults], ['gates open', { gateway: OPEN, repository: OPEN }]] as const) {
    const t = await startTestSystem({}, { rateLimits: UNLIMITED, admission: admission.gateway, config: { admission } });
    try {
      rows.push(...(await measure(t, mode, options)));
    } finally {
      await t.close();
    }
  }
  return rows;
}

async function measure(t: TestSystem, mode: string, options: { flood: number; identifications: number }): Promise<Row[]> {
  const run = Date.now().toString(36);
  for (const [k, person] of PERSONS.entries()) {
    await t.post('/v1/encounters', 'port', enrollmentParts(`OV-POE-${run}-${k}`, person));
    await t.post('/v1/bookings', 'booking', bookingParts(`OV-SEED-${run}-${k}`, person, 1));
  }
  let sent = 0;
  const identify = async () => {
    const k = sent++;
    const started = performance.now();
    const answer = await t.post('/v1/identify?purpose=C', 'field', identificationParts(`OV-RPIS-${run}-${k}`, PERSONS[k % PERSONS.length]));
    return { status: answer.statusCode, ms: performance.now() - started };
  };
  // Two officers, each sending the next identification once the last is answered.
  const officers = async (count: number) => {
    const answers: { status: number; ms: number }[] = [];
    let taken = 0;
    await Promise.all([0, 1].map(async () => {
      while (taken < count) {
        taken++;
        answers.push(await identify());
      }
    }));
    return answers;
  };
  const quiet = await officers(Math.min(10, options.identifications));

  let flooding = true;
  let booked = 0;
  let refused = 0;
  let bookingsSent = 0;
  const floodStarted = performance.now();
  const flood = Array.from({ length: options.flood }, async () => {
    while (flooding) {
      const k = bookingsSent++;
      const answer = await t.post('/v1/bookings', 'booking', bookingParts(`OV-CAR-${run}-${k}`, PERSONS[k % PERSONS.length]));
      if (answer.statusCode === 200) booked++;
      else if (answer.statusCode === 503) {
        refused++;
        await new Promise((resolve) => setTimeout(resolve, 200));
      } else throw new Error(`booking answered ${answer.statusCode}: ${answer.body}`);
    }
  });
  // Let the flood fill every queue before the officers start.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const loaded = await officers(options.identifications);
  flooding = false;
  await Promise.all(flood);
  const seconds = (performance.now() - floodStarted) / 1000;
  const row = (workload: string, answers: { status: number; ms: number }[], note: string): Row => {
    const ok = answers.filter((a) => a.status === 200).map((a) => a.ms);
    return { mode, workload, answered: `${ok.length}/${answers.length}`, p50: ms(quantile(ok, 0.5)), p95: ms(quantile(ok, 0.95)), note };
  };
  return [
    row('rapid identification, no other load', quiet, ''),
    row(`rapid identification, ${options.flood} bookings in flight`, loaded, `bookings: ${(booked / seconds).toFixed(2)}/s answered, ${refused} refused BUSY`),
  ];
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const ms = (value: number) => (Number.isNaN(value) ? '' : `${Math.round(value).toLocaleString('en-US')} ms`);

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { flood: { type: 'string', default: '24' }, identifications: { type: 'string', default: '20' } } });
  const rows = await runOverloadBench({ flood: Number(values.flood), identifications: Number(values.identifications) });
  process.stdout.write(`${formatTable("Rapid identification under a booking flood (one process, embedded)", rows)}\n`);
  process.exit(0);
}
