/**
 * Privacy overhead and audit verification: what policy evaluation and the audit write cost per
 * one-stop history request (target: under 10% of the request), and how long verifying a chain of
 * a million audit records takes (target: under a minute). Run alone:
 *   node --import tsx bench/privacy.ts [--records 1000000]
 */
import { parseArgs } from 'node:util';
import type { LightMyRequestResponse } from 'fastify';
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

const REQUESTS = 1000;
/** History requests by prints: each extracts two fingerprints, so fewer are needed for a stable median. */
const PRINT_REQUESTS = 30;
const IN_FLIGHT = 8;

export async function runPrivacyBench(options: { records?: number } = {}): Promise<Row[]> {
  return [...(await overheadRows()), ...(await verifyRows(options.records ?? 1_000_000))];
}

/** One-stop history requests end to end, against the policy evaluation and audit write inside them. */
async function overheadRows(): Promise<Row[]> {
  // The bench is one user asking thousands of times a minute: the per-user limit would refuse most of it.
  const t = await startTestSystem({}, { rateLimits: { perUserPerMinute: Number.MAX_SAFE_INTEGER, perAgencyPerMinute: Number.MAX_SAFE_INTEGER } });
  try {
    const { body, contentType } = multipart([
      { name: 'booking', json: { tcn: 'BENCH-1', purpose: 'C', name: { family: 'BENCH', given: 'MARK' }, dob: '1980-01-01', sex: 'M', dateOfArrest: '2026-11-01', charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
      { name: 'finger_2', file: fixturePrint('101_1') },
      { name: 'finger_7', file: fixturePrint('102_1') },
    ]);
    const booked = await t.app.inject({ method: 'POST', url: '/v1/bookings', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.booking}` } });
    const fbiNumber = booked.json().sre.fbiNumber as string;
    const url = `/v1/subjects/${fbiNumber}/history?purpose=C`;
    const request = async () => answered(await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens.booking}` } }));
    const criminal = await t.system.bus.request<CriminalHistory>('criminal.history', { fbiNumber });
    const requester = { agencyType: 'local' as const, role: 'booking_officer' as const };
    const [policy] = await interleavedMediansMs(REQUESTS * 10, [async () => buildOneStopHistory(grantFor(requester, 'C'), criminal)]);
    const event: AuditEvent = { component: 'gateway', event: 'history.disclose', outcome: 'success', userId: 'booking', ori: 'TX0570000', purpose: 'C', recordIds: [fbiNumber], fieldClasses: ['criminal_history'] };
    const db = t.system.databases.gateway!;
    // As the gateway writes it: one statement, atomic on its own, by a writer that knows the head.
    const writer = new AuditWriter(db);
    // The least any durable audit write costs here: one single-row insert committed on its own.
    await db.query('CREATE TABLE IF NOT EXISTS bench_commit_floor (n BIGINT)');
    const [total, audit, floor] = await interleavedMediansMs(REQUESTS, [
      request,
      () => writer.append(event),
      () => db.execute('INSERT INTO bench_commit_floor (n) VALUES ($1)', [1]),
    ]);
    await db.query('DROP TABLE bench_commit_floor');
    // Under load: requests, and appends, IN_FLIGHT at a time; the writer groups the appends.
    // The same history asked for by two prints: extraction and both 1:N searches come first.
    const byPrints = multipart([{ name: 'finger_2', file: fixturePrint('101_2') }, { name: 'finger_7', file: fixturePrint('102_1') }]);
    const requestByPrints = async () => answered(await t.app.inject({ method: 'POST', url: '/v1/history?purpose=C', payload: byPrints.body, headers: { 'content-type': byPrints.contentType, authorization: `Bearer ${t.tokens.booking}` } }));
    if ((await requestByPrints()).json().subject !== fbiNumber) throw new Error('the prints did not identify the booked subject');
    const [printsTotal] = await interleavedMediansMs(PRINT_REQUESTS, [requestByPrints], 10);
    const loadedRequest = await meanUnderLoadMs(REQUESTS, request);
    const loadedAudit = await meanUnderLoadMs(REQUESTS, () => writer.append(event));
    await writer.close();
    const share = (ms: number) => `${((ms / total) * 100).toFixed(1)}% of the request`;
    return [
      { measure: `one-stop history request (HTTP, ${t.system.databases.gateway!.kind}; median of ${REQUESTS})`, result: `${total.toFixed(2)} ms`, note: '' },
      { measure: 'policy evaluation and field filtering in it', result: `${(policy * 1000).toFixed(1)} µs`, note: share(policy) },
      { measure: 'audit record appended (one statement)', result: `${audit.toFixed(2)} ms`, note: share(audit) },
      { measure: 'for scale: any one-row insert committed on its own', result: `${floor.toFixed(2)} ms`, note: share(floor) },
      { measure: 'privacy overhead (policy + audit)', result: `${(policy + audit).toFixed(2)} ms`, note: `${share(policy + audit)} (target < 10%)` },
      { measure: `one-stop history request by two prints (HTTP, ${t.system.databases.gateway!.kind}; median of ${PRINT_REQUESTS})`, result: `${printsTotal.toFixed(1)} ms`, note: '' },
      { measure: 'privacy overhead (policy + audit) in it', result: `${(policy + audit).toFixed(2)} ms`, note: `${(((policy + audit) / printsTotal) * 100).toFixed(2)}% of the request (target < 10%)` },
      { measure: `under load (${IN_FLIGHT} in flight): one-stop history request, time per request`, result: `${loadedRequest.toFixed(2)} ms`, note: '' },
      { measure: `under load (${IN_FLIGHT} in flight): audit record appended, time per record`, result: `${loadedAudit.toFixed(2)} ms`, note: `${((loadedAudit / loadedRequest) * 100).toFixed(1)}% of a request's time` },
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
    const batch = 1000;
    const writer = new AuditWriter(db);
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
      await writer.appendBatch(events);
    }
    await writer.close();
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

/**
 * The median time of each action, running them in turn in blocks: all see the same state of the
 * process and the machine, and a block is long enough for the audit writer to keep the chain head
 * it wrote (the gateway's own writer moves it during the requests).
 */
async function interleavedMediansMs(runs: number, actions: (() => Promise<unknown>)[], block = 50): Promise<number[]> {
  const times = actions.map(() => [] as number[]);
  for (let done = 0; done < runs; done += block) {
    for (const [k, action] of actions.entries()) {
      for (let i = -1; i < block; i++) {
        const started = performance.now();
        await action();
        // The first of each block warms the action up again and is not counted.
        if (i >= 0) times[k].push(performance.now() - started);
      }
    }
  }
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(list.length / 2)]);
}

/** A timed request must be answered, not refused: a fast refusal would pass for a fast answer. */
function answered(response: LightMyRequestResponse): LightMyRequestResponse {
  if (response.statusCode !== 200) throw new Error(`the bench request was refused (${response.statusCode}): ${response.body}`);
  return response;
}

/** Wall time per action when `count` actions run IN_FLIGHT at a time. */
async function meanUnderLoadMs(count: number, action: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next++ < count) await action();
  }));
  return (performance.now() - started) / count;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { records: { type: 'string' } } });
  process.stdout.write(formatTable('Privacy overhead and audit verification', await runPrivacyBench({ records: values.records ? Number(values.records) : undefined })));
}
