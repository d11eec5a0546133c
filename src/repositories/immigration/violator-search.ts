import { decodeFaceTemplate } from '../../biometrics/face/face-template.ts';
import type { FaceCandidate } from '../../biometrics/face/face-gallery.ts';
import type { FingerPayload } from '../shared/fingerprint-payload.ts';
import { fromFingerPayload } from '../shared/fingerprint-payload.ts';
import { matchLevel } from '../shared/identification.ts';
import type { ImmigrationStore } from './immigration-store.ts';
import type { ImmigrationSearchResult, ImmigrationSummary } from './immigration-types.ts';

// The immigration repository searched without enrolling: the booking-time check of every
// traveller, and rapid identification's and the face search's look among violators only.

/** Flags that make a traveller an immigration violator or a person of special interest (RISC's gallery). */
const VIOLATOR_FLAGS = ['overstay', 'removed', 'expedited_removal', 'watchlist', 'visa_refused_cat1', 'identity_conflict'];
/**
 * How many ranked candidates rapid identification looks through for a violator. Candidates come
 * best first, and one past the possible threshold ends the look, so this bounds only the case of
 * many lawful travellers all scoring above it.
 */
const SCREEN_CANDIDATES = 10;
/** Face leads a 1:N face search answers at most. */
const FACE_SEARCH_CANDIDATES = 5;

/** The booking-time check (an IDR): is this person known to DHS, and a summary if so. */
export async function search(store: ImmigrationStore, fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
  const [best] = await store.travellers.search(fingers.map(fromFingerPayload), { limit: 1 });
  const level = matchLevel(best);
  if (level !== 'identified') return { match: false, level };
  return { match: true, level, fin: best.subjectId, summary: await summary(store, best.subjectId) };
}

/**
 * Rapid identification's search (domain brief 5.5): only immigration violators are in its
 * gallery — a traveller with a violator flag, or whose last admission ran out with no exit
 * recorded since (an overstay the arrival-departure matcher has not flagged yet). A lawful
 * traveller's prints answer "no match" here, as if he were not enrolled.
 */
export async function screen(store: ImmigrationStore, fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
  const candidates = await store.travellers.search(fingers.map(fromFingerPayload), { limit: SCREEN_CANDIDATES });
  for (const candidate of candidates) {
    const level = matchLevel(candidate);
    if (level === 'none') break;
    const violations = await violationsOf(store, candidate.subjectId);
    if (violations.length === 0) continue;
    if (level !== 'identified') return { match: false, level };
    return { match: true, level, fin: candidate.subjectId, summary: { ...(await summary(store, candidate.subjectId)), flags: violations } };
  }
  return { match: false, level: 'none' };
}

/**
 * 1:N face search, among immigration violators only, as rapid identification's print search: a
 * lawful traveller's photo is never searched. Candidates are FINs and distances, leads for an
 * examiner; nothing else of the record travels with them.
 */
export async function faceSearch(store: ImmigrationStore, template: string): Promise<{ candidates: FaceCandidate[]; searched: number }> {
  const candidates = await store.faces.search(decodeFaceTemplate(Buffer.from(template, 'base64')), FACE_SEARCH_CANDIDATES * 4);
  const violators: FaceCandidate[] = [];
  for (const candidate of candidates) {
    if ((await violationsOf(store, candidate.subject)).length > 0) violators.push(candidate);
    if (violators.length === FACE_SEARCH_CANDIDATES) break;
  }
  return { candidates: violators, searched: candidates.length };
}

/** What makes a traveller a violator: his violator flags, and an overstay not yet flagged. */
async function violationsOf(store: ImmigrationStore, fin: string): Promise<string[]> {
  const flags = await store.db.query<{ kind: string }>('SELECT DISTINCT kind FROM flags WHERE fin = $1 AND kind = ANY($2) ORDER BY kind', [fin, VIOLATOR_FLAGS]);
  const kinds = flags.map((f) => f.kind);
  const today = new Date().toISOString().slice(0, 10);
  const [lapsed] = await store.db.query(
    `SELECT 1 FROM encounters e WHERE e.fin = $1 AND e.type = 'entry' AND e.admitted_until < $2
        AND e.id = (SELECT max(id) FROM encounters WHERE fin = $1 AND type = 'entry')
        AND NOT EXISTS (SELECT 1 FROM encounters x WHERE x.fin = $1 AND x.type = 'exit' AND x.id > e.id)`,
    [fin, today],
  );
  if (lapsed && !kinds.includes('overstay')) kinds.push('overstay');
  return kinds;
}

async function summary(store: ImmigrationStore, fin: string): Promise<ImmigrationSummary> {
  const identities = await store.db.query<{ family: string; given: string; nationality: string }>('SELECT family, given, nationality FROM identities WHERE fin = $1 ORDER BY id', [fin]);
  const encounters = await store.db.query<{ inspection_date: string; place: string; admission_class: string; admitted_until: string | null }>(
    `SELECT inspection_date, place, admission_class, admitted_until FROM encounters WHERE fin = $1 AND type = 'entry' ORDER BY id DESC`,
    [fin],
  );
  const flags = await store.db.query<{ kind: string }>('SELECT DISTINCT kind FROM flags WHERE fin = $1', [fin]);
  const last = encounters[0];
  return {
    fin,
    names: [...new Set(identities.map((i) => `${i.family}, ${i.given}`))],
    nationality: identities[0]?.nationality,
    statusClass: last ? `nonimmigrant ${last.admission_class}` : 'unknown',
    lastEntry: last ? { date: last.inspection_date, place: last.place, admissionClass: last.admission_class, admittedUntil: last.admitted_until ?? undefined } : undefined,
    encounters: encounters.length,
    flags: flags.map((f) => f.kind),
  };
}
