import type { Sql } from '../../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from '../shared/template-sealer.ts';

/**
 * Arrests the rap sheet shows: not sealed, not juvenile unless treated as an adult. The rest stay
 * in the repository, and so do their booking photos, which are neither released nor counted, so
 * that a photo cannot tell of a booking the history leaves out.
 */
export const SHOWN_ARREST = '(NOT arrests.sealed AND (NOT arrests.juvenile OR arrests.treat_as_adult))';

/** Whether an arrest row (in a query over `arrests`) has a booking photo, as a boolean column. */
export const HAS_BOOKING_PHOTO = 'EXISTS (SELECT 1 FROM photos WHERE photos.fbi_number = arrests.fbi_number AND photos.tcn = arrests.tcn)';

/** The newest booking photo of a shown arrest, opened (base64), or null. */
export async function latestBookingPhoto(db: Sql, sealer: TemplateSealer, fbiNumber: string): Promise<{ image: string | null }> {
  const [row] = await db.query<{ image: Uint8Array }>(
    `SELECT photos.image FROM photos JOIN arrests USING (fbi_number, tcn) WHERE photos.fbi_number = $1 AND ${SHOWN_ARREST} ORDER BY photos.id DESC LIMIT 1`,
    [fbiNumber],
  );
  return { image: row ? Buffer.from(sealer.open(new Uint8Array(row.image), sealedFor('photos.image', fbiNumber))).toString('base64') : null };
}
