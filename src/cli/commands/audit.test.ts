import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPgliteDatabase } from '../../infra/db/pglite-database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import { alteredRecord, AuditWriter } from '../../gateway/audit-log.ts';
import { signedRepair } from '../../gateway/audit-repair.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { gatewayMigrations } from '../../gateway/migrations.ts';
import { ConcordError } from '../../shared/errors.ts';
import { run } from './audit.ts';

/** `concord audit verify` on an embedded gateway database of its own, with the server stopped. */
const directory = await mkdtemp(join(tmpdir(), 'concord-audit-cli-'));
beforeAll(async () => {
  const db = await openPgliteDatabase(join(directory, 'gateway'));
  await migrate(db, gatewayMigrations);
  const writer = new AuditWriter(db);
  for (let i = 0; i < 3; i++) await writer.append({ component: 'gateway', event: 'history.disclose', outcome: 'success', userId: 'booking' });
  await writer.close();
  await db.close();
  vi.stubEnv('CONCORD_DATA_DIR', directory);
  vi.stubEnv('DATABASE_URL', '');
  vi.stubEnv('GATEWAY_DATABASE_URL', '');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(directory, { recursive: true, force: true });
});

async function verify(args: string[]): Promise<{ code: number | string; output: string }> {
  let output = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((output += String(chunk)), true));
  try {
    return { code: await run(['verify', ...args]), output };
  } catch (error) {
    return { code: error instanceof ConcordError ? error.code : 'untyped', output };
  } finally {
    spy.mockRestore();
  }
}

describe('concord audit verify', () => {
  it('prints the head, and checks a head passed back as an anchor', async () => {
    const first = await verify([]);
    expect(first.code).toBe(0);
    expect(first.output).toContain('audit trail intact: 3 records verified');
    const head = /head: (3:[0-9a-f]{64})/.exec(first.output)![1];
    expect((await verify(['--anchor', head])).code).toBe(0);
    // A head the chain no longer reaches: records were cut from the end.
    const later = await verify(['--anchor', `5:${'a'.repeat(64)}`]);
    expect(later.code).toBe(3);
    expect(later.output).toContain('AUDIT TRAIL BROKEN at record 4: records after 3 were deleted');
  });

  it('says there is no Concord database where none was ever made, and creates nothing there', async () => {
    const nowhere = join(directory, 'never-ran');
    vi.stubEnv('CONCORD_DATA_DIR', nowhere);
    try {
      expect(await verify([])).toEqual({ code: 'NO_DATABASE', output: '' });
      expect(existsSync(nowhere)).toBe(false);
    } finally {
      vi.stubEnv('CONCORD_DATA_DIR', directory);
    }
  });

  it('refuses a malformed anchor with a typed error', async () => {
    expect((await verify(['--anchor', '3:nothex'])).code).toBe('BAD_ARGUMENT');
    expect(await run(['repair', '--record', 'all', '--cause', 'x']).catch((error: ConcordError) => error.code)).toBe('BAD_ARGUMENT');
  });
});

describe('concord audit verify on a repaired trail', () => {
  it('reports the repaired break and every break left, and accepts no repair without the key file', async () => {
    const repaired = join(directory, 'repaired');
    const db = await openPgliteDatabase(join(repaired, 'gateway'));
    await migrate(db, gatewayMigrations);
    const writer = new AuditWriter(db);
    for (let i = 0; i < 3; i++) await writer.append({ component: 'gateway', event: 'history.refused', outcome: 'refused', userId: 'booking', purpose: 'C' });
    await db.query(`UPDATE audit_log SET purpose = 'C,J' WHERE seq = 2`);
    const keys = KeyRing.fromFile(join(repaired, 'keys.json'));
    const at = new Date();
    await writer.append(signedRepair((await alteredRecord(db, 2))!, 'a writer fault', { userId: 'privacy' }, at, keys), at);
    await db.query(`UPDATE audit_log SET user_id = 'someone-else' WHERE seq = 3`);
    await writer.close();
    await db.close();
    vi.stubEnv('CONCORD_DATA_DIR', repaired);
    try {
      const checked = await verify([]);
      expect(checked.code).toBe(3);
      expect(checked.output).toContain('repaired: record 2 was altered; repair entry 4: a writer fault');
      expect(checked.output).toContain('AUDIT TRAIL BROKEN at record 3: record 3 was altered (2 records before it verified)');
      await rm(join(repaired, 'keys.json'));
      const unchecked = await verify([]);
      expect(unchecked.output).toContain('AUDIT TRAIL BROKEN at record 2: record 2 was altered');
      expect(unchecked.output).toContain("also broken at record 4: record 4 is a repair entry, whose signature cannot be checked without the gateway's key file");
    } finally {
      vi.stubEnv('CONCORD_DATA_DIR', directory);
    }
  });
});
