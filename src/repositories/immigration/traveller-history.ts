import { ConcordError } from '../../shared/errors.ts';
import { sealedFor } from '../shared/template-sealer.ts';
import type { ImmigrationStore } from './immigration-store.ts';
import type { ImmigrationHistory } from './immigration-types.ts';

// A traveller's record as the gateway reads it for a history, and the face photo it releases.

/** The traveller's whole record but the protected content, of which only its existence is said. */
export async function history(store: ImmigrationStore, fin: string): Promise<ImmigrationHistory> {
  const identities = await store.db.query<{ family: string; given: string; dob: string; nationality: string; document_type: string; document_number: string; issuing_country: string }>(
    'SELECT family, given, dob, nationality, document_type, document_number, issuing_country FROM identities WHERE fin = $1 ORDER BY id',
    [fin],
  );
  if (identities.length === 0) throw new ConcordError('SUBJECT_NOT_FOUND', `no immigration record with FIN ${fin}`, { fin });
  const encounters = await store.db.query<{ at: Date; type: string; place: string; admission_class: string; decision: string; admitted_until: string | null; exemption: string | null; inspection_date: string }>(
    'SELECT at, type, place, admission_class, decision, admitted_until, exemption, inspection_date FROM encounters WHERE fin = $1 ORDER BY id',
    [fin],
  );
  const flags = await store.db.query<{ kind: string; since: string }>('SELECT kind, since FROM flags WHERE fin = $1 ORDER BY id', [fin]);
  const protectedRows = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM protected_records WHERE fin = $1', [fin]);
  const [photos] = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM photos WHERE fin = $1', [fin]);
  return {
    fin,
    photos: Number(photos.n),
    identities: identities.map((i) => ({ family: i.family, given: i.given, dob: i.dob, nationality: i.nationality, document: `${i.document_type} ${i.issuing_country} ${i.document_number}` })),
    encounters: encounters.map((e) => ({
      at: e.inspection_date,
      type: e.type,
      place: e.place,
      admissionClass: e.admission_class,
      decision: e.decision,
      admittedUntil: e.admitted_until ?? undefined,
      exemption: e.exemption ?? undefined,
    })),
    flags,
    protectedContentExists: Number(protectedRows[0].n) > 0,
  };
}

/** The traveller's most recent face photo (JPEG, base64), or null. */
export async function latestPhoto(store: ImmigrationStore, fin: string): Promise<{ image: string | null }> {
  const [row] = await store.db.query<{ image: Uint8Array }>('SELECT image FROM photos WHERE fin = $1 ORDER BY id DESC LIMIT 1', [fin]);
  return { image: row ? Buffer.from(store.sealer.open(new Uint8Array(row.image), sealedFor('photos.image', fin))).toString('base64') : null };
}
