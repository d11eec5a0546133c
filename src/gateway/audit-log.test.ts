import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import type { Database, Sql } from '../infra/db/database.ts';
import { migrate } from '../infra/db/migrate.ts';
import { AuditWriter, searchAudit, verifyAuditChain } from './audit-log.ts';
import { gatewayMigrations } from './migrations.ts';

/** The hash chain catches every kind of tampering, and the search answers "who received what". */
let db: Database;
beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, gatewayMigrations);
  const writer = new AuditWriter();
  for (let i = 1; i <= 8; i++) {
    await db.transaction((tx) =>
      writer.append(
        tx,
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
      ),
    );
  }
});
afterAll(async () => db.close());

/** Tampers inside a transaction that is then rolled back, so each case starts from the intact trail. */
async function afterTampering(statements: string[]): Promise<Awaited<ReturnType<typeof verifyAuditChain>>> {
  let verdict: Awaited<ReturnType<typeof verifyAuditChain>> | undefined;
  await db
    .transaction(async (tx: Sql) => {
      for (const statement of statements) await tx.query(statement);
      verdict = await verifyAuditChain(tx, 3);
      throw new Error('roll back');
    })
    .catch(() => undefined);
  return verdict!;
}

describe('the audit hash chain', () => {
  it('verifies an untouched trail', async () => {
    expect(await verifyAuditChain(db, 3)).toEqual({ ok: true, records: 8 });
  });

  it('names the first record that was altered', async () => {
    expect(await afterTampering([`UPDATE audit_log SET purpose = 'X' WHERE seq = 5`])).toMatchObject({ ok: false, firstBroken: 5, reason: 'record 5 was altered' });
  });

  it('catches a record deleted from the middle, and records deleted from the end', async () => {
    expect(await afterTampering(['DELETE FROM audit_log WHERE seq = 3'])).toMatchObject({ ok: false, firstBroken: 3, reason: 'record 3 is missing' });
    expect(await afterTampering(['DELETE FROM audit_log WHERE seq >= 7'])).toMatchObject({ ok: false, firstBroken: 7, reason: 'records after 6 were deleted' });
  });

  it('catches two records swapped', async () => {
    const swap = ['UPDATE audit_log SET seq = -2 WHERE seq = 2', 'UPDATE audit_log SET seq = 2 WHERE seq = 4', 'UPDATE audit_log SET seq = 4 WHERE seq = -2'];
    expect(await afterTampering(swap)).toMatchObject({ ok: false, firstBroken: 2 });
    expect(await verifyAuditChain(db)).toEqual({ ok: true, records: 8 });
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
});

describe('appending to the chain', () => {
  it('stays one unbroken chain when writers interleave and a transaction rolls back', async () => {
    const fresh = await openPgliteDatabase(undefined);
    try {
      await migrate(fresh, gatewayMigrations);
      const event = { component: 'gateway', event: 'sign_in', outcome: 'success' as const, userId: 'booking' };
      const [a, b] = [new AuditWriter(), new AuditWriter()];
      expect(await a.append(fresh, event)).toBe(1);
      expect(await b.append(fresh, event)).toBe(2);
      // A's remembered head is stale: it must chain after B's record, not fork from its own.
      expect(await a.append(fresh, event)).toBe(3);
      // A record whose transaction rolled back never happened; the next one takes its place.
      await fresh.transaction(async (tx) => {
        await a.append(tx, event);
        throw new Error('roll back');
      }).catch(() => undefined);
      expect(await a.append(fresh, event)).toBe(4);
      expect(await b.appendBatch(fresh, [{ event }, { event }])).toBe(6);
      expect(await verifyAuditChain(fresh)).toEqual({ ok: true, records: 6 });
      // Appends racing outside any transaction: every one lands, each on its own place in the chain.
      const raced = await Promise.all([a, b, a, b, a, new AuditWriter()].map((writer) => writer.append(fresh, event)));
      expect([...raced].sort((x, y) => x - y)).toEqual([7, 8, 9, 10, 11, 12]);
      expect(await a.appendBatch(fresh, [])).toBeGreaterThanOrEqual(12);
      expect(await verifyAuditChain(fresh)).toEqual({ ok: true, records: 12 });
    } finally {
      await fresh.close();
    }
  });
});
