import { describe, expect, it } from 'vitest';
import { migrate } from '../infra/db/migrate.ts';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import { criminalMigrations } from './criminal/migrations.ts';
import { immigrationMigrations } from './immigration/migrations.ts';

/**
 * A repository reads a subject's rows by the key that ties them to the subject (a gallery
 * reload after every enrollment or booking, every history): each such reference must be indexed,
 * or the read scans a table of millions of rows.
 */
describe('repository schemas', () => {
  it.each([
    ['criminal', criminalMigrations],
    ['immigration', immigrationMigrations],
  ])('index every reference of the %s repository', async (_name, migrations) => {
    const db = await openPgliteDatabase();
    try {
      await migrate(db, migrations);
      const unindexed = await db.query<{ reference: string }>(
        `SELECT c.conrelid::regclass::text || '.' || a.attname AS reference
           FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
            AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
          ORDER BY 1`,
      );
      const references = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace`);
      expect(references[0].n).toBeGreaterThan(3);
      expect(unindexed.map((r) => r.reference)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 60_000);
});
