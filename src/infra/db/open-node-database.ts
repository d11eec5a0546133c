import { join } from 'node:path';
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
