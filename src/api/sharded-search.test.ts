import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shardOfSubject } from '../repositories/shared/gallery-shards.ts';
import { indexPrints, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/**
 * The criminal gallery in two real matcher processes (`concord matcher --shard k/2`) on the
 * machine's PostgreSQL and NATS; the gateway and repository nodes run in this process. A shard is
 * killed, and frozen then killed in the middle of a search: the answers say they are incomplete,
 * the audit trail says so, and a booking is refused rather than told there is no record.
 */
const shared = !!process.env.DATABASE_URL && !!process.env.NATS_URL;
const BIN = new URL('../../bin/concord.mjs', import.meta.url).pathname;
let t: TestSystem;
let keyDir: string;
const matchers: (ChildProcess | undefined)[] = [];
const today = new Date().toISOString().slice(0, 10);
let serial = 0;

/** Starts shard k of 2 and resolves once it says it is ready (it serves only once loaded). */
async function startMatcher(index: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'matcher', '--repository', 'criminal', '--shard', `${index}/2`, '--workers', '1'], {
    env: { ...process.env, CONCORD_SCHEMA_PREFIX: t.config.schemaPrefix, CONCORD_KEY_FILE: t.config.keyFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  matchers[index] = child;
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`matcher ${index}/2 not ready in 60 s: ${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (/ready:/.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`matcher ${index}/2 exited (${code}): ${output}`));
    });
  });
  child.removeAllListeners('exit');
}

async function stopMatcher(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  const child = matchers[index];
  matchers[index] = undefined;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGCONT');
  child.kill(signal);
  await exited;
}

const book = (family: string, prints: [string, string]) =>
  t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn: `SHARD-${Date.now()}-${++serial}`, purpose: 'C', name: { family, given: 'PAT' }, dob: '1980-05-05', dateOfArrest: today, charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] } },
    ...indexPrints(...prints),
  ]);
const identify = (prints: [string, string]) => t.post('/v1/identify?purpose=C', 'field', indexPrints(...prints));
const count = async (node: 'criminal' | 'gateway', sql: string) => Number((await t.system.databases[node]!.query<{ n: number }>(sql))[0].n);
const lastAudit = async (event: string) =>
  (await t.system.databases.gateway!.query<{ event: string; record_ids: string[] }>('SELECT event, record_ids FROM audit_log WHERE event = $1 ORDER BY seq DESC LIMIT 1', [event]))[0];

describe.skipIf(!shared)('criminal gallery shards in their own processes (PostgreSQL + NATS)', () => {
  const people: { fbiNumber: string; probe: [string, string] }[] = [];

  beforeAll(async () => {
    keyDir = mkdtempSync(join(tmpdir(), 'concord-shards-'));
    t = await startTestSystem({}, { config: { criminalShards: { count: 2, deadlineMs: 5000 }, keyFile: join(keyDir, 'keys.json') } });
    await Promise.all([startMatcher(0), startMatcher(1)]);
  }, 180_000);
  afterAll(async () => {
    for (const k of [0, 1]) await stopMatcher(k);
    await t?.close();
    if (keyDir) rmSync(keyDir, { recursive: true, force: true });
  });

  it('books and identifies across both shards', async () => {
    for (const [family, prints, probe] of [
      ['ALPHA', ['101_1', '102_1'], ['101_2', '102_2']],
      ['BRAVO', ['103_1', '104_1'], ['103_2', '104_2']],
      ['CHARLIE', ['105_1', '106_1'], ['105_2', '106_2']],
      ['DELTA', ['107_1', '108_1'], ['107_2', '108_2']],
      ['ECHO', ['109_1', '110_1'], ['109_2', '110_2']],
    ] as const) {
      const booked = await book(family, [...prints]);
      expect(booked.statusCode, booked.body).toBe(200);
      expect(booked.json().sre.srf).toBe('N');
      people.push({ fbiNumber: booked.json().sre.fbiNumber, probe: [...probe] });
    }
    // Both shards hold someone (FBI numbers are sequential from a fresh schema: these five hash to both).
    expect(new Set(people.map((p) => shardOfSubject(p.fbiNumber, 2))).size).toBe(2);
    for (const person of people) {
      const answer = (await identify(person.probe)).json();
      expect(answer.summary).toMatchObject({ matchLevel: 'identified', fbiNumber: person.fbiNumber });
      expect(answer.searchIncomplete).toBeUndefined();
    }
  }, 180_000);

  it('with a shard killed, says the search is incomplete, audits it, and refuses a booking with 503 and nothing written', async () => {
    const victim = people[0];
    const down = shardOfSubject(victim.fbiNumber, 2);
    await stopMatcher(down);

    const answer = await identify(victim.probe);
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ color: 'amber', searchIncomplete: 'search incomplete: 1 of 2 shards answered', summary: { matchLevel: 'none' } });
    expect((await lastAudit('identify.answer')).record_ids).toContain('search-incomplete:1/2');

    const arrests = await count('criminal', 'SELECT count(*)::int AS n FROM arrests');
    const subjects = await count('criminal', 'SELECT count(*)::int AS n FROM subjects');
    // Someone new: the fingers of two people, each on the other hand.
    const refused = await book('FOXTROT', ['102_1', '101_1']);
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json().error).toMatchObject({ code: 'SEARCH_INCOMPLETE', where: { search: 'search-incomplete:1/2' } });
    expect(await count('criminal', 'SELECT count(*)::int AS n FROM arrests')).toBe(arrests);
    expect(await count('criminal', 'SELECT count(*)::int AS n FROM subjects')).toBe(subjects);
    expect((await lastAudit('booking.failed')).record_ids).toEqual(expect.arrayContaining(['search-incomplete:1/2', 'reason:SEARCH_INCOMPLETE']));

    // Back: it loads its subjects from the database and answers again; the refused booking can be sent again.
    await startMatcher(down);
    expect((await identify(victim.probe)).json().summary).toMatchObject({ matchLevel: 'identified', fbiNumber: victim.fbiNumber });
    const again = await book('FOXTROT', ['102_1', '101_1']);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().sre.srf).toBe('N');
  }, 120_000);

  it('treats a shard that dies in the middle of a search as missing', async () => {
    const victim = people[1];
    const down = shardOfSubject(victim.fbiNumber, 2);
    matchers[down]!.kill('SIGSTOP'); // the search reaches it and is never answered
    const pending = identify(victim.probe);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await stopMatcher(down);
    const answer = await pending;
    expect(answer.json()).toMatchObject({ color: 'amber', searchIncomplete: 'search incomplete: 1 of 2 shards answered' });
    await startMatcher(down);
    expect((await identify(victim.probe)).json().summary).toMatchObject({ matchLevel: 'identified', fbiNumber: victim.fbiNumber });
  }, 120_000);

  it('refuses a matcher started without what it needs, in one line', async () => {
    const run = (args: string[], env: Record<string, string | undefined>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [BIN, 'matcher', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (code) => resolve({ code, stderr }));
      });
    const wrongShard = await run(['--repository', 'criminal', '--shard', '2/2'], {});
    expect(wrongShard.code).not.toBe(0);
    expect(wrongShard.stderr).toMatch(/BAD_ARGUMENT: a shard is given as k\/N/);
    const noKeys = await run(['--repository', 'criminal', '--shard', '0/2'], { CONCORD_SCHEMA_PREFIX: t.config.schemaPrefix, CONCORD_KEY_FILE: join(keyDir, 'missing.json') });
    expect(noKeys.stderr).toMatch(/BAD_CONFIG: the repository's key file/);
  }, 60_000);
});
