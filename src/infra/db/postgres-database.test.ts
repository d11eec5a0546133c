import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

/** Connections the server ends (a restart, pg_terminate_backend): a typed, retryable error, then a new connection. */
const url = process.env.DATABASE_URL;

describe.skipIf(!url)('PostgreSQL connections ended by the server', () => {
  const schema = `t${process.pid}_${Date.now().toString(36)}_terminated`;
  const appName = `concord-test-${schema}`;
  let db: Database;
  let admin: pg.Client;
  const terminate = () => admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [appName]);

  beforeAll(async () => {
    // The driver names each connection it opens by PGAPPNAME, so these can be told from others'.
    process.env.PGAPPNAME = appName;
    db = await openPostgresDatabase(url!, schema);
    admin = new pg.Client({ connectionString: url, application_name: 'concord-test-admin' });
    await admin.connect();
  });
  afterAll(async () => {
    delete process.env.PGAPPNAME;
    await db?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('fail the query in flight with STORAGE_UNAVAILABLE, and the next query runs on a new connection', async () => {
    const slow = db.query('SELECT pg_sleep(5)').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminate();
    expect(await slow).toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('end idle and mid-transaction connections without ending the process', async () => {
    await Promise.all([db.query('SELECT 1'), db.query('SELECT 2'), db.query('SELECT 3')]);
    const inTransaction = db.transaction(async (tx) => {
      await tx.query('SELECT 1');
      // The server ends the connection while this transaction waits on something else.
      await terminate();
      await new Promise((resolve) => setTimeout(resolve, 300));
      return tx.query('SELECT 2');
    });
    await expect(inTransaction).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    expect(await db.query<{ two: number }>('SELECT 2 AS two')).toEqual([{ two: 2 }]);
  });
});
