import { ConcordError } from '../../shared/errors.ts';
import type { Database } from './database.ts';

/**
 * Applies a node's numbered migrations once each, in order, recording them in the node's own
 * schema_migrations table. Each migration runs in a transaction with its record, under a lock, so
 * replicas starting together migrate one after the other. A schema this code cannot know (a
 * version past its last migration, written by a newer release) is refused, not run against.
 */
export async function migrate(db: Database, migrations: readonly string[]): Promise<void> {
  await db.withLock('schema-migrations', async () => {
    await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    checkSchemaVersion([...done], migrations.length);
    for (let version = 1; version <= migrations.length; version++) {
      if (done.has(version)) continue;
      await db.transaction(async (tx) => {
        for (const statement of migrations[version - 1].split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
        await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
      });
    }
  });
}

/**
 * Refuses a database whose applied migrations this code does not know: newer ones (an upgrade's
 * replica migrated it; this one is older and would misread it), or a history with holes.
 */
export function checkSchemaVersion(applied: readonly number[], known: number): void {
  const newest = Math.max(0, ...applied);
  if (newest > known) {
    throw new ConcordError('SCHEMA_NEWER_THAN_CODE', `the database schema is at version ${newest}, newer than this code, which knows versions 1 to ${known}: run a release that knows version ${newest}`, { schemaVersion: newest, codeVersion: known });
  }
  const missing = Array.from({ length: newest }, (_, k) => k + 1).filter((v) => !applied.includes(v));
  if (missing.length > 0) {
    throw new ConcordError('SCHEMA_MISMATCH', `the database schema has version ${newest} applied without version${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: it was not made by these migrations`, { schemaVersion: newest, missing: missing.join(',') });
  }
}
