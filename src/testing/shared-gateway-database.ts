import pg from 'pg';
import type { Database } from '../infra/db/database.ts';
import { migrate } from '../infra/db/migrate.ts';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import { openPostgresDatabase } from '../infra/db/postgres-database.ts';
import { gatewayMigrations } from '../gateway/migrations.ts';

/**
 * The gateway's database as two gateway processes see it, for tests and benchmarks of shared
 * state: on PostgreSQL (`url` given) two connection pools on one fresh schema, as two processes
 * would hold; embedded, one PGlite database handed to both (PGlite is one process).
 */
export interface SharedGatewayDatabase {
  kind: 'pglite' | 'postgres';
  first: Database;
  second: Database;
  /** Closes both and drops the schema. */
  close(): Promise<void>;
}

export async function openSharedGatewayDatabase(url: string | undefined, label: string): Promise<SharedGatewayDatabase> {
  if (!url) {
    const db = await openPgliteDatabase();
    await migrate(db, gatewayMigrations);
    return { kind: 'pglite', first: db, second: db, close: () => db.close() };
  }
  const schema = `t${process.pid}_${Date.now().toString(36)}_${label}`;
  const first = await openPostgresDatabase(url, schema);
  const second = await openPostgresDatabase(url, schema);
  await migrate(first, gatewayMigrations);
  return {
    kind: 'postgres',
    first,
    second,
    async close() {
      await first.close().catch(() => undefined);
      await second.close().catch(() => undefined);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.end());
    },
  };
}
