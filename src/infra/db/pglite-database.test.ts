import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { emptyDatabaseCopy, openPgliteDatabase } from './pglite-database.ts';

describe('an in-memory database', () => {
  it('opens from a fresh initdb when the saved copy of an empty one is damaged, and saves a good copy again', async () => {
    await writeFile(emptyDatabaseCopy(), 'not a tar archive');
    const db = await openPgliteDatabase();
    try {
      expect(await db.query<{ n: number }>('SELECT 1 + 1 AS n')).toEqual([{ n: 2 }]);
    } finally {
      await db.close();
    }
    expect((await stat(emptyDatabaseCopy())).size).toBeGreaterThan(1_000_000);
    const copy = await readFile(emptyDatabaseCopy());
    const again = await openPgliteDatabase();
    try {
      await again.execute('CREATE TABLE t (n INTEGER)');
      expect(await again.query('SELECT * FROM t')).toEqual([]);
    } finally {
      await again.close();
    }
    expect((await readFile(emptyDatabaseCopy())).equals(copy)).toBe(true); // loaded, not made again
  }, 60_000);
});
