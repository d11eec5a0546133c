import { reloadSubject } from '../shared/identification.ts';
import type { ImmigrationStore } from './immigration-store.ts';

/**
 * Retention: biometrics and encounters captured before `before` are deleted, and travellers
 * left with neither, with everything else about them. Returns the counts, and the FINs of
 * travellers deleted whole, so that the logs about them can go too.
 */
export async function purgeBefore(store: ImmigrationStore, before: string): Promise<{ samples: number; encounters: number; purged: string[] }> {
  const result = await store.db.transaction(async (tx) => {
    const samples = await tx.query<{ fin: string }>('DELETE FROM samples WHERE captured_at < $1 RETURNING fin', [before]);
    await tx.query('DELETE FROM photos WHERE captured_at < $1', [before]);
    const encounters = await tx.query('DELETE FROM encounters WHERE at < $1 RETURNING id', [before]);
    const gone = await tx.query<{ fin: string }>(
      `SELECT fin FROM subjects s WHERE NOT EXISTS (SELECT 1 FROM samples WHERE fin = s.fin) AND NOT EXISTS (SELECT 1 FROM encounters WHERE fin = s.fin)`,
    );
    const fins = gone.map((r) => r.fin);
    for (const table of ['identities', 'flags', 'protected_records', 'photos']) await tx.query(`DELETE FROM ${table} WHERE fin = ANY($1)`, [fins]);
    await tx.query('DELETE FROM subjects WHERE fin = ANY($1)', [fins]);
    return { touched: [...new Set(samples.map((r) => r.fin))], samples: samples.length, encounters: encounters.length, purged: fins };
  });
  // The in-memory gallery follows: reload the remaining prints of every traveller touched.
  for (const fin of result.touched) await reloadSubject(store.db, store.travellers, store.sealer, 'fin', fin, store.refusedTemplates);
  return { samples: result.samples, encounters: result.encounters, purged: result.purged };
}
