import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './database.ts';
import { openPgliteDatabase } from './pglite-database.ts';
import { openPostgresDatabase } from './postgres-database.ts';

export type NodeName = 'immigration' | 'criminal' | 'gateway';

/** Each node gets its own database: its own PGlite directory, or its own PostgreSQL schema. */
export async function openNodeDatabase(config: Config, node: NodeName): Promise<Database> {
  const url = config.nodeDatabaseUrls[node] ?? config.databaseUrl;
  if (url) return openPostgresDatabase(url, `${config.schemaPrefix}_${node}`);
  return openPgliteDatabase(config.dataDir ? join(config.dataDir, node) : undefined);
}

/**
 * The node's database if it was ever created (for tools that read one and must not create one
 * where there is none): its PGlite directory, or its PostgreSQL schema; undefined otherwise.
 */
export async function openExistingNodeDatabase(config: Config, node: NodeName): Promise<Database | undefined> {
  const url = config.nodeDatabaseUrls[node] ?? config.databaseUrl;
  if (!url) return config.dataDir && existsSync(join(config.dataDir, node, 'PG_VERSION')) ? openNodeDatabase(config, node) : undefined;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [`${config.schemaPrefix}_${node}`]);
    if (rows.length === 0) return undefined;
  } finally {
    await client.end();
  }
  return openNodeDatabase(config, node);
}
