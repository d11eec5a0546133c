import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import type { Database } from '../infra/db/database.ts';
import { migrate } from '../infra/db/migrate.ts';
import { gatewayMigrations } from './migrations.ts';
import { recordPolicyActivation } from './policy-activation.ts';
import { AuditWriter, verifyAuditChain } from './audit-log.ts';

let db: Database;
beforeAll(async () => {
  db = await openPgliteDatabase(undefined);
  await migrate(db, gatewayMigrations);
});
afterAll(async () => db.close());

describe('policy changes', () => {
  it('are audited once per change: the first policy, a restart with the same one, an edited one', async () => {
    const writer = new AuditWriter(db);
    const rules = [{ agencyTypes: ['local'], grant: { criminalHistory: 'full' } }];
    expect(await recordPolicyActivation(db, writer, '2026-11-25.1', rules, new Date())).toBe(true);
    expect(await recordPolicyActivation(db, writer, '2026-11-25.1', rules, new Date())).toBe(false);
    expect(await recordPolicyActivation(db, writer, '2026-11-25.1', [{ ...rules[0], grant: { criminalHistory: 'summary' } }], new Date())).toBe(true);
    const records = await db.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'policy.activate' ORDER BY seq`);
    expect(records.map((r) => r.record_ids[2])).toEqual(['first policy', expect.stringMatching(/^replaces 2026-11-25\.1 sha256:/)]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
