import type { Database } from './database.ts';

/**
 * Applies a node's numbered migrations once each, in order, recording them in the node's own
 * schema_migrations table. Each migration runs in a transaction with its record.
 */
export async function migrate(db: Database, migrations: readonly string[]): Promise<void> {
  await db.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
  const done = new Set((await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  for (let version = 1; version <= migrations.length; version++) {
    if (done.has(version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of migrations[version - 1].split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
    });
  }
}
