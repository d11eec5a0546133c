import { isConcordError } from '../../shared/errors.ts';
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
export type SealedColumn = 'samples.template' | 'samples.image' | 'photos.image' | 'photos.face_template' | 'watchlist_samples.template';

/**
 * The binding of a sealed value: its column, the subject that owns it (FBI number, FIN or wanted
 * id) and the finger. Sealing binds the value to it, so swapping prints between subjects in the
 * database is detected instead of silently changing who matches whom.
 */
export function sealedFor(column: SealedColumn, owner: string, position?: number): string {
  return `${column}|${owner}|${position ?? ''}`;
}

/** Whether stored data was refused for what it is (altered, moved, unsealed), not for a missing key. */
export function isRefusedSealedData(error: unknown): boolean {
  return isConcordError(error, 'SEALED_DATA_CORRUPT') || isConcordError(error, 'DATA_NOT_SEALED');
}

/** A stored template left out of a gallery on loading: altered, moved or unsealed (its seal), or damaged inside the seal (its own checks). */
export function isRefusedStoredTemplate(error: unknown): boolean {
  return isRefusedSealedData(error) || (isConcordError(error) && error.code.startsWith('TEMPLATE_'));
}

/** What a reseal did: values sealed again, and the bindings of those that failed to open. */
export interface ResealReport {
  resealed: number;
  refused: string[];
}

export function combineReports(reports: readonly ResealReport[]): ResealReport {
  return { resealed: reports.reduce((n, r) => n + r.resealed, 0), refused: reports.flatMap((r) => r.refused) };
}

/**
 * Seals again, under the active key, every value of a sealed column that needs it, in pages
 * ordered by the table's `id` — online: rows are rewritten one page at a time while the node
 * keeps serving. `owner` and `position` name the columns the binding is made of. A value that
 * fails to open is left as it is and reported: a rotation is not the place to launder it.
 */
export async function resealColumn(db: Sql, sealer: TemplateSealer, sealed: SealedColumn, owner: string, position?: string): Promise<ResealReport> {
  const [table, column] = sealed.split('.');
  let resealed = 0;
  const refused: string[] = [];
  let after: number | null = null;
  for (;;) {
    const rows: { k: number; v: Uint8Array; owner: string; position: number | null }[] = await db.query(
      `SELECT id AS k, ${column} AS v, ${owner} AS owner, ${position ?? 'NULL::int'} AS position FROM ${table} WHERE ${column} IS NOT NULL AND ($1::int IS NULL OR id > $1) ORDER BY id LIMIT 500`,
      [after],
    );
    if (rows.length === 0) return { resealed, refused };
    for (const row of rows) {
      const stored = new Uint8Array(row.v);
      if (!sealer.needsResealing(stored)) continue;
      const binding = sealedFor(sealed, row.owner, row.position === null ? undefined : Number(row.position));
      let plain;
      try {
        plain = sealer.open(stored, binding);
      } catch (error) {
        if (!isRefusedSealedData(error)) throw error;
        refused.push(binding);
        continue;
      }
      await db.query(`UPDATE ${table} SET ${column} = $1 WHERE id = $2`, [sealer.seal(plain, binding), row.k]);
      resealed++;
    }
    after = Number(rows[rows.length - 1].k);
  }
}
