import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Sql } from './database.ts';

/** Embedded PostgreSQL (PGlite): one instance per node, on disk under `dataDir` or in memory. */
export async function openPgliteDatabase(dataDir?: string): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = dataDir ? await PGlite.create(dataDir) : await openInMemory();
  const wrap = (target: Pick<PGlite, 'query'>): Sql => ({
    async query<Row>(text: string, params: unknown[] = []) {
      return (await target.query<Row>(text, params)).rows;
    },
    // PGlite's query call has no named statements: `prepare` is not used here.
    async execute(text: string, params: unknown[] = []) {
      return (await target.query(text, params)).affectedRows ?? 0;
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}

/**
 * A new in-memory database, loaded from a copy of an empty one: creating one runs initdb, which
 * takes seconds, and tests start three per system. The copy is kept in the temporary directory
 * for every process of this PGlite version; if it cannot be read or loaded, initdb runs as usual.
 */
async function openInMemory(): Promise<PGlite> {
  const template = emptyDatabaseCopy();
  const saved = await readFile(template).catch(() => undefined);
  if (saved) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([saved]) });
    } catch {
      await rm(template, { force: true });
    }
  }
  const db = await PGlite.create();
  // Written whole under another name, then renamed: a concurrent reader never sees half of it.
  // Failing to keep the copy costs only time, later.
  const partial = `${template}.${process.pid}.${Date.now()}`;
  try {
    await writeFile(partial, new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer()));
    await rename(partial, template);
  } catch {
    await rm(partial, { force: true });
  }
  return db;
}

/** Where the copy of an empty database is kept: named by the installed PGlite's version, so another version's is not loaded. */
export function emptyDatabaseCopy(): string {
  return join(tmpdir(), `concord-pglite-${pgliteVersion()}-empty.tar`);
}

/** The installed PGlite's version. */
function pgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}
