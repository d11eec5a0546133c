/**
 * Privacy overhead and audit verification: what policy evaluation and the audit write cost per
 * one-stop history request (target: under 10% of the request), and how long verifying a chain of
 * a million audit records takes (target: under a minute). Run alone:
 *   node --import tsx bench/privacy.ts [--records 1000000]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { openPgliteDatabase } from '../src/infra/db/pglite-database.ts';
import { migrate } from '../src/infra/db/migrate.ts';
import { AuditWriter, verifyAuditChain, type AuditEvent } from '../src/gateway/audit-log.ts';
import { gatewayMigrations } from '../src/gateway/migrations.ts';
import { buildOneStopHistory } from '../src/gateway/one-stop-history.ts';
import { grantFor } from '../src/gateway/dissemination-policy.ts';
import type { CriminalHistory } from '../src/repositories/criminal/criminal-node.ts';
import { fixturePrint, multipart, startTestSystem } from '../src/testing/test-system.ts';
import { formatTable, type Row } from './table.ts';

const REQUESTS = 200;

export async function runPrivacyBench(options: { records?: number } = {}): Promise<Row[]> {
  return [...(await overheadRows()), ...(await verifyRows(options.records ?? 1_000_000))];
}

/** One-stop history requests end to end, against the policy evaluation and audit write inside them. */
async function overheadRows(): Promise<Row[]> {
  const t = await startTestSystem();
  try {
    const { body, contentType } = multipart([
      { name: 'booking', json: { tcn: 'BENCH-1', purpose: 'C', name: { family: 'BENCH', given: 'MARK' }, dob: '1980-01-01', sex: 'M', dateOfArrest: '2026-11-01', charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
      { name: 'finger_2', file: fixturePrint('101_1') },
      { name: 'finger_7', file: fixturePrint('102_1') },
    ]);
    const booked = await t.app.inject({ method: 'POST', url: '/v1/bookings', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.booking}` } });
    const fbiNumber = booked.json().sre.fbiNumber as string;
    const url = `/v1/subjects/${fbiNumber}/history?purpose=C`;
    const request = () => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens.booking}` } });
    const total = await medianMs(REQUESTS, request);

    const criminal = await t.system.bus.request<CriminalHistory>('criminal.history', { fbiNumber });
    const requester = { agencyType: 'local' as const, role: 'booking_officer' as const };
    const policy = await medianMs(REQUESTS * 10, async () => buildOneStopHistory(grantFor(requester, 'C'), criminal));
    const event: AuditEvent = { component: 'gateway', event: 'history.disclose', outcome: 'success', userId: 'booking', ori: 'TX0570000', purpose: 'C', recordIds: [fbiNumber], fieldClasses: ['criminal_history'] };
    const db = t.system.databases.gateway!;
    // As the gateway writes it: one statement, atomic on its own, by a writer that knows the head.
    const writer = new AuditWriter();
    const audit = await medianMs(REQUESTS, () => writer.append(db, event));
    // The least any durable audit write costs here: one single-row insert committed on its own.
    await db.query('CREATE TABLE IF NOT EXISTS bench_commit_floor (n BIGINT)');
    const floor = await medianMs(REQUESTS, () => db.query('INSERT INTO bench_commit_floor (n) VALUES ($1)', [1]));
    await db.query('DROP TABLE bench_commit_floor');
    const share = (ms: number) => `${((ms / total) * 100).toFixed(1)}% of the request`;
    return [
      { measure: `one-stop history request (HTTP, ${t.system.databases.gateway!.kind}; median of ${REQUESTS})`, result: `${total.toFixed(2)} ms`, note: '' },
      { measure: 'policy evaluation and field filtering in it', result: `${(policy * 1000).toFixed(1)} µs`, note: share(policy) },
      { measure: 'audit record appended (one statement)', result: `${audit.toFixed(2)} ms`, note: share(audit) },
      { measure: 'for scale: any one-row insert committed on its own', result: `${floor.toFixed(2)} ms`, note: share(floor) },
      { measure: 'privacy overhead (policy + audit)', result: `${(policy + audit).toFixed(2)} ms`, note: `${share(policy + audit)} (target < 10%)` },
    ];
  } finally {
    await t.close();
  }
}

/** A chain of `records` audit records in embedded PostgreSQL, then the full verification. */
async function verifyRows(records: number): Promise<Row[]> {
  const db = await openPgliteDatabase(undefined);
  try {
    await migrate(db, gatewayMigrations);
    const loadStarted = performance.now();
    const batch = 10_000;
    const writer = new AuditWriter();
    for (let done = 0; done < records; done += batch) {
      const events = Array.from({ length: Math.min(batch, records - done) }, (_, k) => ({
        event: {
          component: 'gateway',
          event: 'history.disclose',
          outcome: 'success' as const,
          userId: `user${(done + k) % 97}`,
          ori: 'TX0570000',
          purpose: 'C',
          tcn: `TCN-${done + k}`,
          recordIds: [`${4100000 + ((done + k) % 5000)}AB`],
          fieldClasses: ['criminal_history', 'immigration_summary'],
        },
        at: new Date(Date.UTC(2026, 0, 1) + (done + k) * 1000),
      }));
      await db.transaction((tx) => writer.appendBatch(tx, events));
    }
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const started = performance.now();
    const verdict = await verifyAuditChain(db);
    const seconds = (performance.now() - started) / 1000;
    if (!verdict.ok) throw new Error(`the generated chain does not verify: ${verdict.reason}`);
    return [
      { measure: `write ${records.toLocaleString('en-US')} chained audit records (batches of ${batch})`, result: `${loadSeconds.toFixed(1)} s`, note: `${Math.round(records / loadSeconds).toLocaleString('en-US')} records/s` },
      { measure: `verify the chain of ${verdict.records.toLocaleString('en-US')} records`, result: `${seconds.toFixed(1)} s`, note: `${Math.round(records / seconds).toLocaleString('en-US')} records/s (target < 60 s for 1,000,000)` },
    ];
  } finally {
    await db.close();
  }
}

async function medianMs(runs: number, action: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 5; i++) await action();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { records: { type: 'string' } } });
  process.stdout.write(formatTable('Privacy overhead and audit verification', await runPrivacyBench({ records: values.records ? Number(values.records) : undefined })));
}
