import type { Sql } from '../infra/db/database.ts';

/**
 * The identity links: which criminal record (FBI number) and which traveller (FIN) the gateway
 * knows to be one person, learned when a booking or an enrollment matched both repositories.
 */

export async function link(tx: Sql, fbiNumber: string, fin: string, tcn: string, at: Date): Promise<void> {
  await tx.query('INSERT INTO identity_links (fbi_number, fin, linked_at, tcn) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [fbiNumber, fin, at.toISOString(), tcn]);
}

/** Whether the identity links tie this criminal record to this traveller. */
export async function linked(db: Sql, fbiNumber: string, fin: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM identity_links WHERE fbi_number = $1 AND fin = $2', [fbiNumber, fin])).length > 0;
}

/**
 * A subject known by its FBI number, its FIN or both, its other half filled in from the identity
 * links; `conflict` when both were given and the links tie either of them to someone else.
 */
export async function completeByLinks(db: Sql, { fbiNumber, fin }: { fbiNumber?: string; fin?: string }): Promise<{ fbiNumber?: string; fin?: string; conflict: boolean }> {
  const links = await db.query<{ fbi_number: string; fin: string }>('SELECT fbi_number, fin FROM identity_links WHERE fbi_number = $1 OR fin = $2', [fbiNumber ?? null, fin ?? null]);
  const finsOfRecord = links.filter((link) => link.fbi_number === fbiNumber).map((link) => link.fin);
  const recordsOfFin = links.filter((link) => link.fin === fin).map((link) => link.fbi_number);
  const conflict = !!fbiNumber && !!fin && ((finsOfRecord.length > 0 && !finsOfRecord.includes(fin)) || (recordsOfFin.length > 0 && !recordsOfFin.includes(fbiNumber)));
  return { fbiNumber: fbiNumber ?? recordsOfFin[0], fin: fin ?? finsOfRecord[0], conflict };
}
