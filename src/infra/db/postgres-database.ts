import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Sql } from './database.ts';
import { COLUMN_PARSERS } from './column-types.ts';
import { storageError } from './storage-errors.ts';

// BIGINT counts and sequence numbers come back as JS numbers; our values stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number(value));
// Dates and instants as the strings the code writes, as on the embedded database.
for (const [oid, parse] of Object.entries(COLUMN_PARSERS)) pg.types.setTypeParser(Number(oid), parse);

/**
 * A PostgreSQL server; each node works in its own schema (search_path), so nodes sharing one
 * server still never see each other's tables.
 */
export async function openPostgresDatabase(url: string, schema: string): Promise<Database> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Replicas starting together would race to create it ("duplicate key" from the catalogue).
    await admin.query('BEGIN');
    await admin.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${schema}:create-schema`]);
    await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await admin.query('COMMIT');
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 8, options: `-c search_path=${schema}` });
  // A connection the server ends (a restart, pg_terminate_backend) emits 'error' on its own; without a
  // listener that would end the process. The query it was running fails (STORAGE_UNAVAILABLE) and the
  // pool replaces the connection, so the node reconnects without a restart.
  pool.on('connect', (client) => client.on('error', () => undefined));
  pool.on('error', () => undefined);
  const wrap = (client: pg.Pool | pg.PoolClient): Sql => ({
    async query<Row>(text: string, params: unknown[] = []) {
      return (await client.query(text, params).catch((error: unknown) => Promise.reject(storageError(error)))).rows as Row[];
    },
    async execute(text: string, params: unknown[] = [], options: { prepare?: boolean } = {}) {
      const name = options.prepare ? statementName(text) : undefined;
      return (await client.query({ name, text, values: params }).catch((error: unknown) => Promise.reject(storageError(error)))).rowCount ?? 0;
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(storageError(error)));
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw storageError(error);
      } finally {
        client.release();
      }
    },
    connections: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async withLock(name, work) {
      // Keyed by schema too: deployments sharing a server do not wait for each other.
      const key = `${schema}:${name}`;
      const client = await pool.connect();
      let unlocked = false;
      try {
        await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
        try {
          return await work();
        } finally {
          unlocked = await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).then(() => true, () => false);
        }
      } finally {
        // A connection that may still hold the lock is closed, not pooled: closing releases it.
        client.release(!unlocked);
      }
    },
    async listen(channel, onNotify) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
      let client: pg.Client | undefined;
      let stopped = false;
      // A connection of its own, held for as long as it listens; made again when the server ends it.
      const retry = () => {
        if (!stopped) setTimeout(() => void connect().catch(retry), 1000).unref();
      };
      const connect = async (): Promise<void> => {
        const next = new pg.Client({ connectionString: url });
        next.on('notification', (message) => onNotify(message.payload ?? ''));
        next.on('error', () => undefined);
        try {
          await next.connect();
          await next.query(`LISTEN ${channel}`);
        } catch (error) {
          await next.end().catch(() => undefined);
          throw error;
        }
        client = next;
        next.once('end', retry);
      };
      await connect();
      return async () => {
        stopped = true;
        client?.off('end', retry);
        await client?.end().catch(() => undefined);
      };
    },
    close: () => pool.end(),
  };
}

/** Names of prepared statements, by text: a statement is prepared once per connection under its name. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `s${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}
