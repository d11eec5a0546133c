import type { Sql } from '../../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from '../shared/template-sealer.ts';

/**
 * Booking photos that may leave the repository: those of arrests the rap sheet shows (not sealed,
 * not juvenile unless treated as an adult). A hidden arrest's photo is neither released nor counted,
 * so that a photo cannot tell of a booking the history leaves out.
 */
const DISCLOSABLE = `FROM photos p JOIN arrests a ON a.fbi_number = p.fbi_number AND a.tcn = p.tcn
  WHERE p.fbi_number = $1 AND NOT a.sealed AND (NOT a.juvenile OR a.treat_as_adult)`;

/** The newest disclosable booking photo, opened (base64), or null. */
export async function latestBookingPhoto(db: Sql, sealer: TemplateSealer, fbiNumber: string): Promise<{ image: string | null }> {
  const [row] = await db.query<{ image: Uint8Array }>(`SELECT p.image ${DISCLOSABLE} ORDER BY p.id DESC LIMIT 1`, [fbiNumber]);
  return { image: row ? Buffer.from(sealer.open(new Uint8Array(row.image), sealedFor('photos.image', fbiNumber))).toString('base64') : null };
}

export async function disclosableBookingPhotos(db: Sql, fbiNumber: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${DISCLOSABLE}`, [fbiNumber]);
  return Number(row.n);
}
