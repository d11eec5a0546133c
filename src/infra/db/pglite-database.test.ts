import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPgliteDatabase } from './pglite-database.ts';

describe('an in-memory database', () => {
  it('opens from a fresh initdb when the saved copy of an empty one is damaged, and saves a good copy again', async () => {
    // A copy of its own: the one other test files share is left alone.
    const dir = await mkdtemp(join(tmpdir(), 'concord-copy-test-'));
    const emptyCopy = join(dir, 'empty.tar');
    try {
      await writeFile(emptyCopy, 'not a tar archive');
      const db = await openPgliteDatabase(undefined, { emptyCopy });
      try {
        expect(await db.query<{ n: number }>('SELECT 1 + 1 AS n')).toEqual([{ n: 2 }]);
      } finally {
        await db.close();
      }
      expect((await stat(emptyCopy)).size).toBeGreaterThan(1_000_000);
      const copy = await readFile(emptyCopy);
      const again = await openPgliteDatabase(undefined, { emptyCopy });
      try {
        await again.execute('CREATE TABLE t (n INTEGER)');
        expect(await again.query('SELECT * FROM t')).toEqual([]);
      } finally {
        await again.close();
      }
      expect((await readFile(emptyCopy)).equals(copy)).toBe(true); // loaded, not made again
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
