import type { Sql } from '../../infra/db/database.ts';

/**
 * The port through which repositories keep biometric data encrypted at rest: what goes into a
 * table is sealed, what comes out is opened. The key material lives outside the database, behind
 * the adapter (src/infra/crypto/key-ring.ts).
 */
export interface TemplateSealer {
  /** Seals `plain` for the record named by `binding` (see `sealedFor`): it opens for that record only. */
  seal(plain: Uint8Array, binding: string): Uint8Array;
  /** Opens a value sealed for `binding`; an unsealed, altered or moved value is a ConcordError. */
  open(stored: Uint8Array, binding: string): Uint8Array;
  /** Whether a stored value was sealed under an older key or format and should be sealed again. */
  needsResealing(stored: Uint8Array): boolean;
}

/** Columns that hold sealed biometric data. */
export type SealedColumn = 'samples.template' | 'samples.image' | 'photos.image' | 'watchlist_samples.template';

/**
 * The binding of a sealed value: its column, the subject that owns it (FBI number, FIN or wanted
 * id) and the finger. Sealing binds the value to it, so swapping prints between subjects in the
 * database is detected instead of silently changing who matches whom.
 */
export function sealedFor(column: SealedColumn, owner: string, position?: number): string {
  return `${column}|${owner}|${position ?? ''}`;
}

/**
 * Seals again, under the active key, every value of a sealed column that needs it, in pages
 * ordered by the table's `id` — online: rows are rewritten one page at a time while the node
 * keeps serving. `owner` and `position` name the columns the binding is made of.
 */
export async function resealColumn(db: Sql, sealer: TemplateSealer, sealed: SealedColumn, owner: string, position?: string): Promise<number> {
  const [table, column] = sealed.split('.');
  let resealed = 0;
  let after: number | null = null;
  for (;;) {
    const rows: { k: number; v: Uint8Array; owner: string; position: number | null }[] = await db.query(
      `SELECT id AS k, ${column} AS v, ${owner} AS owner, ${position ?? 'NULL::int'} AS position FROM ${table} WHERE ${column} IS NOT NULL AND ($1::int IS NULL OR id > $1) ORDER BY id LIMIT 500`,
      [after],
    );
    if (rows.length === 0) return resealed;
    for (const row of rows) {
      const stored = new Uint8Array(row.v);
      if (!sealer.needsResealing(stored)) continue;
      const binding = sealedFor(sealed, row.owner, row.position === null ? undefined : Number(row.position));
      await db.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2`, [sealer.seal(sealer.open(stored, binding), binding), row.k]);
      resealed++;
    }
    after = Number(rows[rows.length - 1].k);
  }
}
