import type { Sql } from '../../infra/db/database.ts';

/**
 * The port through which repositories keep biometric data encrypted at rest: what goes into a
 * table is sealed, what comes out is opened. The key material lives outside the database, behind
 * the adapter (src/infra/crypto/key-ring.ts).
 */
export interface TemplateSealer {
  seal(plain: Uint8Array): Uint8Array;
  open(stored: Uint8Array): Uint8Array;
  /** Whether a stored value was sealed under an older key (or not at all) and should be sealed again. */
  needsResealing(stored: Uint8Array): boolean;
}

/**
 * Seals again, under the active key, every value of `column` in `table` that needs it, in pages
 * ordered by `key` — online: rows are rewritten one page at a time while the node keeps serving.
 */
export async function resealColumn(db: Sql, sealer: TemplateSealer, table: string, key: string, column: string): Promise<number> {
  let resealed = 0;
  let after: number | null = null;
  for (;;) {
    const rows: { k: number; v: Uint8Array }[] = await db.query(`SELECT ${key} AS k, ${column} AS v FROM ${table} WHERE ${column} IS NOT NULL AND ($1::int IS NULL OR ${key} > $1) ORDER BY ${key} LIMIT 500`, [after]);
    if (rows.length === 0) return resealed;
    for (const row of rows) {
      const stored = new Uint8Array(row.v);
      if (!sealer.needsResealing(stored)) continue;
      await db.query(`UPDATE ${table} SET ${column} = $1 WHERE ${key} = $2`, [sealer.seal(sealer.open(stored)), row.k]);
      resealed++;
    }
    after = Number(rows[rows.length - 1].k);
  }
}
