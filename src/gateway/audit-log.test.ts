import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import type { Database, Sql } from '../infra/db/database.ts';
import { migrate } from '../infra/db/migrate.ts';
import { alteredRecord, AuditWriter, searchAudit, verifyAuditChain, type ChainHead } from './audit-log.ts';
import { signedRepair } from './audit-repair.ts';
import { KeyRing } from '../infra/crypto/key-ring.ts';
import { gatewayMigrations } from './migrations.ts';
import { readConfig } from '../infra/config.ts';
import { openNodeDatabase } from '../infra/db/open-node-database.ts';
import { dropDeploymentData } from '../testing/test-system.ts';

/** The hash chain catches every kind of tampering, and the search answers "who received what". */
let db: Database;
beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, gatewayMigrations);
  const writer = new AuditWriter(db);
  for (let i = 1; i <= 8; i++) {
    await db.transaction((tx) =>
      writer.append(
        {
          component: 'gateway',
          event: i % 2 ? 'history.disclose' : 'identify.answer',
          outcome: 'success',
          userId: i <= 4 ? 'booking' : 'ice',
          ori: i <= 4 ? 'TX0570000' : 'VTICE0900',
          purpose: 'C',
          recordIds: [i % 2 ? '4100001AB' : '4100002AB'],
          fieldClasses: i === 8 ? [] : ['criminal_history'],
        },
        new Date(Date.UTC(2026, 10, i)),
        tx,
      ),
    );
  }
  // The witness of the chain's head, which the tampering cases below rely on, is now up to date.
  await writer.close();
});
afterAll(async () => db.close());

/** Tampers inside a transaction that is then rolled back, so each case starts from the intact trail. */
async function afterTampering(statements: string[], anchors: ChainHead[] = []): Promise<Awaited<ReturnType<typeof verifyAuditChain>>> {
  let verdict: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
  await db
    .transaction(async (tx: Sql) => {
      for (const statement of statements) await tx.query(statement);
      verdict = await verifyAuditChain(tx, { pageSize: 3, anchors });
      throw new Error('roll back');
    })
    .catch(() => undefined);
  return verdict!;
}

describe('the audit hash chain', () => {
  it('verifies an untouched trail', async () => {
    expect(await verifyAuditChain(db, { pageSize: 3 })).toMatchObject({ ok: true, records: 8, head: { seq: 8 } });
  });

  it('names the first record that was altered', async () => {
    expect(await afterTampering([`UPDATE audit_log SET purpose = 'X' WHERE seq = 5`])).toMatchObject({ ok: false, firstBroken: 5, reason: 'record 5 was altered' });
  });

  it('catches a record deleted from the middle, and records deleted from the end', async () => {
    expect(await afterTampering(['DELETE FROM audit_log WHERE seq = 3'])).toMatchObject({ ok: false, firstBroken: 3, reason: 'record 3 is missing' });
    expect(await afterTampering(['DELETE FROM audit_log WHERE seq >= 7'])).toMatchObject({ ok: false, firstBroken: 7, reason: 'records after 6 were deleted' });
  });

  it('catches records cut from the end with the witness moved back, given a head kept outside the database', async () => {
    const earlier = await verifyAuditChain(db);
    if (!earlier.ok) throw new Error(earlier.reason);
    const cut = ['DELETE FROM audit_log WHERE seq >= 7', 'UPDATE audit_head SET seq = 6, hash = (SELECT hash FROM audit_log WHERE seq = 6)'];
    expect(await afterTampering(cut)).toMatchObject({ ok: true, records: 6 });
    expect(await afterTampering(cut, [earlier.head])).toMatchObject({ ok: false, firstBroken: 7, reason: 'records after 6 were deleted' });
    // A chain rebuilt from record 5 on, hashes and all, is not the one the head was taken from.
    expect(await afterTampering([], [{ seq: 5, hash: 'f'.repeat(64) }])).toMatchObject({ ok: false, firstBroken: 5, reason: 'record 5 is not the one its recorded head names' });
  });

  it('checks anchors apart from the witness, and refuses anchors the purge has passed', async () => {
    await withFreshDatabase(async (fresh) => {
      const writer = new AuditWriter(fresh);
      const event = { component: 'gateway', event: 'history.disclose', outcome: 'success' as const, userId: 'booking' };
      for (let day = 1; day <= 8; day++) await writer.append(event, new Date(Date.UTC(2026, 0, day)));
      await writer.close();
      const earlier = await verifyAuditChain(fresh);
      if (!earlier.ok) throw new Error(earlier.reason);
      // The last two records cut and written anew: a valid chain, and the witness follows it.
      await fresh.query('DELETE FROM audit_log WHERE seq >= 7');
      await fresh.query(`UPDATE audit_head SET seq = 6, hash = (SELECT hash FROM audit_log WHERE seq = 6)`);
      const rewriter = new AuditWriter(fresh);
      for (let day = 7; day <= 8; day++) await rewriter.append({ ...event, userId: 'someone-else' }, new Date(Date.UTC(2026, 0, day)));
      await rewriter.close();
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 8 });
      expect(await verifyAuditChain(fresh, { anchors: [earlier.head] })).toMatchObject({ ok: false, firstBroken: 8, reason: 'record 8 is not the one its recorded head names' });
      // Records up to 4 purged: an anchor at the checkpoint is compared with it, one before it cannot be checked.
      const [fourth] = await fresh.query<ChainHead>('SELECT seq, hash FROM audit_log WHERE seq = 4');
      expect(await fresh.transaction((tx) => writer.purgeBefore(tx, new Date(Date.UTC(2026, 0, 4, 12))))).toBe(4);
      expect(await verifyAuditChain(fresh, { anchors: [{ seq: 4, hash: fourth.hash }] })).toMatchObject({ ok: true });
      expect(await verifyAuditChain(fresh, { anchors: [{ seq: 4, hash: 'f'.repeat(64) }] })).toMatchObject({ ok: false, firstBroken: 4 });
      expect(await verifyAuditChain(fresh, { anchors: [{ seq: 3, hash: 'f'.repeat(64) }] })).toMatchObject({ ok: false, firstBroken: 3, reason: expect.stringContaining('purged') });
    });
  });

  it('reports every break, not only the first, and goes on past each', async () => {
    const verdict = await afterTampering([`UPDATE audit_log SET purpose = 'X' WHERE seq = 3`, 'DELETE FROM audit_log WHERE seq = 5', `UPDATE audit_log SET user_id = 'x' WHERE seq = 7`]);
    expect(verdict).toMatchObject({
      ok: false,
      records: 2,
      firstBroken: 3,
      reason: 'record 3 was altered',
      breaks: [
        { seq: 3, reason: 'record 3 was altered' },
        { seq: 5, reason: 'record 5 is missing' },
        { seq: 7, reason: 'record 7 was altered' },
      ],
    });
  });

  it('catches two records swapped', async () => {
    const swap = ['UPDATE audit_log SET seq = -2 WHERE seq = 2', 'UPDATE audit_log SET seq = 2 WHERE seq = 4', 'UPDATE audit_log SET seq = 4 WHERE seq = -2'];
    expect(await afterTampering(swap)).toMatchObject({ ok: false, firstBroken: 2 });
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, records: 8 });
  });
});

describe('repair entries', () => {
  const keys = KeyRing.ephemeral();
  const event = { component: 'gateway', event: 'history.refused', outcome: 'refused' as const, userId: 'booking', purpose: 'C' };

  it('cover a break only while signed, and only while the record stays as the repair found it', async () => {
    await withFreshDatabase(async (fresh) => {
      const writer = new AuditWriter(fresh);
      for (let i = 0; i < 3; i++) await writer.append(event);
      await fresh.query(`UPDATE audit_log SET purpose = 'C,J' WHERE seq = 2`);
      expect(await alteredRecord(fresh, 1)).toBeUndefined();
      const target = (await alteredRecord(fresh, 2))!;
      const at = new Date();
      expect(await writer.append(signedRepair(target, 'a writer fault', { userId: 'privacy' }, at, keys), at)).toBe(4);
      await writer.close();
      const repaired = [{ seq: 2, reason: 'record 2 was altered', repairSeq: 4, cause: 'a writer fault' }];
      expect(await verifyAuditChain(fresh, { signer: keys })).toMatchObject({ ok: true, records: 4, repaired });
      // Without the key, or under another key, the repair is not accepted, and says why.
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: false, breaks: [{ seq: 2 }, { seq: 4, reason: expect.stringContaining('cannot be checked') }] });
      expect(await verifyAuditChain(fresh, { signer: KeyRing.ephemeral() })).toMatchObject({ ok: false, breaks: [{ seq: 2 }, { seq: 4, reason: 'record 4 is a repair entry whose signature does not hold' }] });
      // Altered again after the repair: reported as altered.
      await fresh.query(`UPDATE audit_log SET purpose = 'R' WHERE seq = 2`);
      expect(await verifyAuditChain(fresh, { signer: keys })).toMatchObject({ ok: false, breaks: [{ seq: 2, reason: 'record 2 was altered since its repair (record 4)' }], repaired: [] });
    });
  });
});

describe('searching the audit trail', () => {
  it('finds who received a subject’s data, newest first, by agency and period', async () => {
    const disclosures = await searchAudit(db, { subject: '4100001AB', disclosuresOnly: true });
    expect(disclosures.map((e) => e.seq)).toEqual([7, 5, 3, 1]);
    expect(disclosures[0]).toMatchObject({ userId: 'ice', ori: 'VTICE0900', purpose: 'C', fieldClasses: ['criminal_history'] });
    const local = await searchAudit(db, { ori: 'TX0570000', from: '2026-11-02T00:00:00.000Z', to: '2026-11-03T23:59:59.000Z' });
    expect(local.map((e) => e.seq)).toEqual([3, 2]);
    expect((await searchAudit(db, { subject: '4100002AB', disclosuresOnly: true })).map((e) => e.seq)).toEqual([6, 4, 2]);
    expect(await searchAudit(db, { user: "x' OR '1'='1" })).toEqual([]);
  });

  it('returns the client address of each record and filters by it', async () => {
    await withFreshDatabase(async (fresh) => {
      const writer = new AuditWriter(fresh);
      await writer.append({ component: 'gateway', event: 'logon', outcome: 'failure', client: '198.51.100.7' });
      await writer.append({ component: 'gateway', event: 'logon', outcome: 'failure', client: '203.0.113.9' });
      await writer.close();
      expect((await searchAudit(fresh, {})).map((e) => e.client)).toEqual(['203.0.113.9', '198.51.100.7']);
      expect(await searchAudit(fresh, { client: '198.51.100.7' })).toEqual([expect.objectContaining({ seq: 1, event: 'logon', client: '198.51.100.7' })]);
    });
  });
});

describe('appending to the chain', () => {
  it('stays one unbroken chain when writers interleave and a transaction rolls back', async () => {
    await withFreshDatabase(async (fresh) => {
      const event = { component: 'gateway', event: 'sign_in', outcome: 'success' as const, userId: 'booking' };
      const [a, b] = [new AuditWriter(fresh), new AuditWriter(fresh)];
      expect(await a.append(event)).toBe(1);
      expect(await b.append(event)).toBe(2);
      // A's remembered head is stale: it must chain after B's record, not fork from its own.
      expect(await a.append(event)).toBe(3);
      // A record whose transaction rolled back never happened; the next one takes its place.
      await fresh.transaction(async (tx) => {
        await a.append(event, new Date(), tx);
        throw new Error('roll back');
      }).catch(() => undefined);
      expect(await a.append(event)).toBe(4);
      expect(await b.appendBatch([{ event }, { event }])).toBe(6);
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 6 });
      // Appends racing outside any transaction: every one lands, each on its own place in the chain.
      const raced = await Promise.all([a, b, a, b, a, new AuditWriter(fresh)].map((writer) => writer.append(event)));
      expect([...raced].sort((x, y) => x - y)).toEqual([7, 8, 9, 10, 11, 12]);
      expect(await a.appendBatch([])).toBe(12);
      // One writer's own appends in flight together are written together, in the order they came.
      expect(await Promise.all(Array.from({ length: 20 }, () => b.append(event)))).toEqual(Array.from({ length: 20 }, (_, k) => 13 + k));
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 32 });
      // An append racing a transaction that holds an uncommitted record waits for its outcome.
      const pause = () => new Promise((resolve) => setTimeout(resolve, 50));
      for (const outcome of ['commit', 'roll back']) {
        const held = fresh.transaction(async (tx) => {
          await a.append(event, new Date(), tx);
          await pause();
          if (outcome === 'roll back') throw new Error('roll back');
        });
        await pause();
        await Promise.all([b.append(event), held.catch(() => undefined)]);
      }
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 35 });
      await Promise.all([a.close(), b.close()]);
    });
  });

  it('reads the head anew after a purge, so nothing is chained to a purged record', async () => {
    await withFreshDatabase(async (fresh) => {
      const [a, b] = [new AuditWriter(fresh), new AuditWriter(fresh)];
      const event = (day: number) => ({ event: { component: 'gateway', event: 'sign_in', outcome: 'success' as const }, at: new Date(Date.UTC(2026, 0, day)) });
      expect(await a.append(event(1).event, event(1).at)).toBe(1);
      // Records 2 to 4 in transactions, which a's remembered head does not follow; then all four purged.
      for (let day = 2; day <= 4; day++) await fresh.transaction((tx) => a.append(event(day).event, event(day).at, tx));
      expect(await fresh.transaction((tx) => a.purgeBefore(tx, new Date(Date.UTC(2026, 0, 10))))).toBe(4);
      expect(await b.append(event(11).event, event(11).at)).toBe(5);
      expect(await a.append(event(12).event, event(12).at)).toBe(6);
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 2 });
      await Promise.all([a.close(), b.close()]);
    });
  });

  it('fails only the event the database refuses among those written together, and stores text it would refuse', async () => {
    await withFreshDatabase(async (fresh) => {
      const writer = new AuditWriter(fresh);
      const event = { component: 'gateway', event: 'history.refused', outcome: 'refused' as const, userId: 'booking' };
      // No outcome: the NOT NULL column refuses it. The other three are written, each to its caller.
      const outcomes = await Promise.allSettled([writer.append(event), writer.append(event), writer.append({ ...event, outcome: undefined as never }), writer.append(event)]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []))).toEqual([1, 2, 3]);
      // A purpose code sent with a NUL in it is recorded, with the NUL escaped.
      await writer.append({ ...event, purpose: 'C\u0000' });
      const [stored] = await fresh.query<{ purpose: string }>('SELECT purpose FROM audit_log WHERE seq = 4');
      expect(stored.purpose).toBe('C\\u0000');
      // A list where text belongs (a repeated query parameter) is stored and hashed as its JSON text.
      await writer.append({ ...event, purpose: ['C', 'J'] as never, recordIds: [4100009 as never] });
      const [listed] = await fresh.query<{ purpose: string; record_ids: unknown }>('SELECT purpose, record_ids FROM audit_log WHERE seq = 5');
      expect(listed).toEqual({ purpose: '["C","J"]', record_ids: ['4100009'] });
      // Closing waits for appends still under way, and the witness then names the last.
      const pending = Array.from({ length: 6 }, () => writer.append(event));
      await writer.close();
      expect(await Promise.all(pending)).toEqual([6, 7, 8, 9, 10, 11]);
      expect(Number((await fresh.query<{ seq: number }>('SELECT seq FROM audit_head'))[0].seq)).toBe(11);
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: true, records: 11 });
    });
  });

  it('moves the head witness shortly after appends, so records cut from the end are caught', async () => {
    await withFreshDatabase(async (fresh) => {
      const writer = new AuditWriter(fresh);
      const event = { component: 'gateway', event: 'history.disclose', outcome: 'success' as const, userId: 'booking' };
      for (let i = 0; i < 5; i++) await writer.append(event);
      const witness = async () => Number((await fresh.query<{ seq: number }>('SELECT seq FROM audit_head'))[0].seq);
      await expect.poll(witness, { timeout: 2000, interval: 10 }).toBe(5);
      await writer.append(event);
      await writer.close();
      expect(await witness()).toBe(6);
      await fresh.query('DELETE FROM audit_log WHERE seq >= 5');
      expect(await verifyAuditChain(fresh)).toMatchObject({ ok: false, firstBroken: 5, reason: 'records after 4 were deleted' });
    });
  });
});

/** A gateway database of its own on the configured store: embedded, or PostgreSQL when DATABASE_URL is set. */
async function withFreshDatabase(work: (db: Database) => Promise<void>): Promise<void> {
  const config = { ...readConfig(process.env), dataDir: undefined, natsUrl: undefined, schemaPrefix: `audit_${process.pid}_${Date.now().toString(36)}` };
  const fresh = await openNodeDatabase(config, 'gateway');
  try {
    await migrate(fresh, gatewayMigrations);
    await work(fresh);
  } finally {
    await fresh.close();
    await dropDeploymentData(config);
  }
}
