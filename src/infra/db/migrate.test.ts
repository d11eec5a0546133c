import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ConcordError } from '../../shared/errors.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';
import { checkSchemaVersion, migrate } from './migrate.ts';

const MIGRATIONS = ['CREATE TABLE people (id INTEGER PRIMARY KEY)', 'ALTER TABLE people ADD COLUMN name TEXT'];

describe('a node whose database schema its code does not know', () => {
  it('refuses a schema newer than the code, naming both versions', () => {
    const error = (() => {
      try {
        checkSchemaVersion([1, 2, 3], 2);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConcordError);
    expect((error as ConcordError).toJSON()).toMatchObject({ code: 'SCHEMA_NEWER_THAN_CODE', where: { schemaVersion: 3, codeVersion: 2 } });
    expect((error as ConcordError).message).toContain('version 3, newer than this code, which knows versions 1 to 2');
  });

  it('refuses a schema history with holes, naming the missing versions', () => {
    expect(() => checkSchemaVersion([1, 3], 3)).toThrow(/without version 2/);
  });

  it('brings an older schema up to date, and starts on one at its own version', async () => {
    const db = await openPgliteDatabase();
    try {
      await migrate(db, MIGRATIONS.slice(0, 1));
      await migrate(db, MIGRATIONS);
      await migrate(db, MIGRATIONS);
      expect((await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual([1, 2]);
      await expect(migrate(db, MIGRATIONS.slice(0, 1))).rejects.toMatchObject({ code: 'SCHEMA_NEWER_THAN_CODE' });
    } finally {
      await db.close();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('migrates once when several replicas start together on PostgreSQL', async () => {
    const schema = `migrate_${process.pid}_${Date.now().toString(36)}`;
    const replicas = await Promise.all(Array.from({ length: 4 }, () => openPostgresDatabase(process.env.DATABASE_URL!, schema)));
    try {
      await Promise.all(replicas.map((db) => migrate(db, MIGRATIONS)));
      expect(await replicas[0].query('SELECT version FROM schema_migrations ORDER BY version')).toEqual([{ version: 1 }, { version: 2 }]);
    } finally {
      for (const db of replicas) await db.close();
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  });
});
