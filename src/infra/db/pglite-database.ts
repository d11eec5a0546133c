import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Sql } from './database.ts';
import { COLUMN_PARSERS } from './column-types.ts';
import { storageError } from './storage-errors.ts';

/** Embedded PostgreSQL (PGlite): one instance per node, on disk under `dataDir` or in memory. */
export async function openPgliteDatabase(dataDir?: string, options: { emptyCopy?: string } = {}): Promise<Database> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = dataDir ? await PGlite.create(dataDir, { parsers: COLUMN_PARSERS }) : await openInMemory(options.emptyCopy ?? emptyDatabaseCopy());
  const wrap = (target: Pick<PGlite, 'query'>): Sql => ({
    async query<Row>(text: string, params: unknown[] = []) {
      return (await target.query<Row>(text, params).catch((error: unknown) => Promise.reject(storageError(error)))).rows;
    },
    // PGlite's query call has no named statements: `prepare` is not used here.
    async execute(text: string, params: unknown[] = []) {
      return (await target.query(text, params).catch((error: unknown) => Promise.reject(storageError(error)))).affectedRows ?? 0;
    },
  });
  const locks = new Map<string, Promise<unknown>>();
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    // One process holds the embedded database: a lock is a queue of this process's callers.
    withLock(name, work) {
      const run = (locks.get(name) ?? Promise.resolve()).then(work, work);
      locks.set(name, run.catch(() => undefined));
      return run;
    },
    async listen(channel, onNotify) {
      const unlisten = await db.listen(channel, onNotify);
      return () => unlisten();
    },
    close: () => db.close(),
  };
}

/**
 * A new in-memory database, loaded from a copy of an empty one: creating one runs initdb, which
 * takes seconds, and tests start three per system. The copy is kept in the temporary directory
 * for this user's processes and this PGlite version, and read once per process; one that is not
 * this user's, cannot be read or does not load is ignored, and initdb runs as usual (and the
 * copy is made again).
 */
async function openInMemory(copy: string): Promise<PGlite> {
  const saved = await savedCopy(copy);
  if (saved) {
    try {
      return await PGlite.create({ loadDataDir: saved, parsers: COLUMN_PARSERS });
    } catch {
      savedCopies.delete(copy);
      await rm(copy, { force: true }).catch(() => undefined);
    }
  }
  const db = await PGlite.create({ parsers: COLUMN_PARSERS });
  const dump = await db.dumpDataDir('none');
  savedCopies.set(copy, Promise.resolve(dump));
  // Written whole under another name, then renamed: a concurrent reader never sees half of it.
  // Failing to keep the copy costs only time, later.
  const partial = `${copy}.${randomUUID()}`;
  try {
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()), { mode: 0o600 });
    await rename(partial, copy);
  } catch {
    await rm(partial, { force: true }).catch(() => undefined);
  }
  return db;
}

/** The copies this process has read or made, by path. */
const savedCopies = new Map<string, Promise<Blob | undefined>>();

function savedCopy(path: string): Promise<Blob | undefined> {
  let copy = savedCopies.get(path);
  if (!copy) {
    copy = readOwnFile(path).then((bytes) => bytes && new Blob([bytes]));
    savedCopies.set(path, copy);
  }
  return copy;
}

/** A file's bytes if it exists and belongs to this user (anyone may write to the temporary directory). */
async function readOwnFile(path: string): Promise<Buffer | undefined> {
  const owner = await stat(path).then((info) => info.uid, () => undefined);
  if (owner === undefined || owner !== process.getuid?.()) return undefined;
  return readFile(path).catch(() => undefined);
}

/** Where the copy of an empty database is kept: named by the installed PGlite's version, so another version's is not loaded. */
function emptyDatabaseCopy(): string {
  pgliteVersion ??= installedPgliteVersion();
  return join(tmpdir(), `concord-pglite-${pgliteVersion}-${process.getuid?.() ?? 'user'}-empty.tar`);
}

let pgliteVersion: string | undefined;

function installedPgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  return (JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string }).version;
}
