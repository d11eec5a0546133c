import { addSealedTemplates } from '../shared/identification.ts';
import { fromFingerPayload } from '../shared/fingerprint-payload.ts';
import { sealedFor } from '../shared/template-sealer.ts';
import type { ImmigrationStore } from './immigration-store.ts';
import type { WantedChanged } from './immigration-types.ts';

// Wanted persons from the criminal repository, kept as the watch list the ports search (iDSM).

/** One wanted person's templates in the watch list anew, as stored (another replica changed them). */
export async function reloadWatchlistEntry(store: ImmigrationStore, wantedId: string): Promise<void> {
  const rows = await store.db.query<{ subject: string; position: number; template: Uint8Array }>(
    `SELECT s.wanted_id AS subject, s.position, s.template FROM watchlist_samples s JOIN watchlist w USING (wanted_id) WHERE w.status = 'active' AND s.wanted_id = $1`,
    [wantedId],
  );
  store.watchlist.remove(wantedId);
  for (const binding of addSealedTemplates(store.watchlist, 'watchlist_samples.template', rows, store.sealer)) if (!store.refusedTemplates.includes(binding)) store.refusedTemplates.push(binding);
}

/** A want entered, changed or cleared: stored sealed and searched from now on, or dropped. */
export async function updateWatchlist(store: ImmigrationStore, event: WantedChanged): Promise<void> {
  await store.db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO watchlist (wanted_id, fbi_number, warrant_no, entering_ori, offense, caution, status, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (wanted_id) DO UPDATE SET status = EXCLUDED.status, offense = EXCLUDED.offense, caution = EXCLUDED.caution, updated_at = now()`,
      [event.wantedId, event.fbiNumber, event.warrantNo, event.enteringOri, event.offense, JSON.stringify(event.caution), event.status],
    );
    await tx.query('DELETE FROM watchlist_samples WHERE wanted_id = $1', [event.wantedId]);
    if (event.status === 'active') {
      for (const finger of event.fingers) {
        await tx.query('INSERT INTO watchlist_samples (wanted_id, position, template) VALUES ($1, $2, $3)', [event.wantedId, finger.position, store.sealer.seal(Buffer.from(finger.template, 'base64'), sealedFor('watchlist_samples.template', event.wantedId, finger.position))]);
      }
    }
  });
  store.watchlist.remove(event.wantedId);
  if (event.status === 'active') for (const finger of event.fingers.map(fromFingerPayload)) store.watchlist.add(event.wantedId, finger.position, finger.template);
}
