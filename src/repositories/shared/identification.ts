import { FingerprintGallery, type Candidate } from '../../biometrics/matching/gallery.ts';
import type { Sql } from '../../infra/db/database.ts';
import { isRefusedStoredTemplate, sealedFor, type SealedColumn, type TemplateSealer } from './template-sealer.ts';
import { fromFingerPayload, type FingerPayload } from './fingerprint-payload.ts';
import type { GalleryWriter, NodeGallery, ShardCount } from './node-gallery.ts';

/**
 * Decision thresholds, as agencies set them: by false-match rate per search. A 1:N search gives
 * every enrolled subject a chance to match by accident, so a candidate's fused FMR counts once
 * per subject searched (searched × FMR bounds the chance that any unrelated subject scores as
 * well, whatever the dependence between them). At or below IDENTIFIED_FMR a candidate is an
 * identification, up to POSSIBLE_FMR a possible match for an examiner. What these give per
 * search at 10⁴–10⁸ subjects (FPIR, measured on two-finger impostor comparisons and
 * extrapolated) is stated by `npm run bench -- calibration`; "identified" must stay at or below
 * 1e-4 at 10⁶ subjects.
 */
export const IDENTIFIED_FMR = 1e-6;
export const POSSIBLE_FMR = 1e-4;

export type MatchLevel = 'identified' | 'possible' | 'none';

/** How often a search of this many subjects would turn up an unrelated candidate with this FMR. */
export function perSearch(fmr: number, searched: number): number {
  return Math.min(1, fmr * Math.max(1, searched));
}

/**
 * An identification is what the system acts on alone (an identity link between the
 * repositories, a red answer, a record joined to an existing one), so it must not rest on one
 * finger: fusion trusts each finger's calibrated tail, and a single finger's tail is where the
 * calibration is least sure. The candidate is identified only when the fused evidence reaches
 * IDENTIFIED_FMR per search and the fingers other than the best one, on their own, would still
 * make it a possible match of the same search. A single finger is therefore never more than a
 * possible match: an examiner decides.
 */
export function matchLevel(candidate: Candidate | undefined): MatchLevel {
  if (!candidate) return 'none';
  const fused = perSearch(candidate.fmr, candidate.searched);
  if (fused <= IDENTIFIED_FMR && perSearch(candidate.fmrWithoutBest, candidate.searched) <= POSSIBLE_FMR) return 'identified';
  return fused <= POSSIBLE_FMR ? 'possible' : 'none';
}

/**
 * Who a repository's 1:N search says the prints are: the subject only when identified, nothing
 * else about them. `incomplete` when part of a sharded gallery was not searched: then "none" or
 * "possible" is no proof that no one better is enrolled.
 */
export interface SubjectMatch {
  level: MatchLevel;
  subject?: string;
  incomplete?: ShardCount;
}

/** A 1:N search answered with no more than SubjectMatch says, for a requester who may see no record yet. */
export async function matchSubject(gallery: NodeGallery, fingers: readonly FingerPayload[]): Promise<SubjectMatch> {
  const { candidates, incomplete } = await gallery.search(fingers.map(fromFingerPayload), { limit: 1 });
  const level = matchLevel(candidates[0]);
  const answer: SubjectMatch = level === 'identified' ? { level, subject: candidates[0].subjectId } : { level };
  if (incomplete) answer.incomplete = incomplete;
  return answer;
}

/** Stored templates read in one query while loading: a million rows never sit in memory at once. */
const LOAD_PAGE = 20_000;

/**
 * Fills a gallery from the sealed templates of `column`: `select` gives (id, subject, position,
 * template) rows, read a page at a time in id order, the next page asked for while one is being
 * opened and checked. A template refused on opening (altered, moved from another subject, not
 * sealed, damaged) stays out of the gallery and is reported by its binding: one bad row must not
 * keep a whole repository from starting. Returns once every template is indexed.
 */
export async function loadGallery(
  db: Sql,
  column: SealedColumn,
  select: string,
  sealer: TemplateSealer,
  options: { workers: number; pageRows?: number },
): Promise<{ gallery: FingerprintGallery; refused: string[] }> {
  const gallery = new FingerprintGallery({ workers: options.workers });
  const pageRows = options.pageRows ?? LOAD_PAGE;
  const refused: string[] = [];
  const page = (after: number) => db.query<StoredTemplate & { id: number }>(`SELECT * FROM (${select}) stored WHERE id > $1 ORDER BY id LIMIT ${pageRows}`, [after]);
  let next = page(0);
  try {
    for (let rows = await next; rows.length > 0; rows = await next) {
      next = rows.length === pageRows ? page(Number(rows[rows.length - 1].id)) : Promise.resolve([]);
      refused.push(...addSealedTemplates(gallery, column, rows, sealer));
    }
    // Ready means searchable: the workers have indexed every row (a search would queue behind them) and merged the index.
    await gallery.settled();
  } catch (error) {
    next.catch(() => undefined); // a page still on its way when the load fails is of no use
    await gallery.close();
    throw error;
  }
  return { gallery, refused };
}

/**
 * Gives a gallery one subject's stored templates anew, after some were rewritten or deleted. The
 * bindings of templates refused on opening join `refused` (the node's list), each once.
 */
export async function reloadSubject(db: Sql, gallery: GalleryWriter, sealer: TemplateSealer, owner: 'fbi_number' | 'fin', subject: string, refused: string[]): Promise<void> {
  const rows = await db.query<StoredTemplate>(`SELECT ${owner} AS subject, position, template FROM samples WHERE ${owner} = $1`, [subject]);
  gallery.remove(subject);
  for (const binding of addSealedTemplates(gallery, 'samples.template', rows, sealer)) if (!refused.includes(binding)) refused.push(binding);
}

/** A finger template as stored: sealed for its subject and position. */
export interface StoredTemplate {
  subject: string;
  position: number;
  template: Uint8Array;
}

/** Adds stored templates to a gallery, opened and checked but not decoded; returns the bindings of those refused. */
export function addSealedTemplates(gallery: GalleryWriter, column: SealedColumn, rows: readonly StoredTemplate[], sealer: TemplateSealer): string[] {
  const refused: string[] = [];
  for (const row of rows) {
    const position = Number(row.position);
    const binding = sealedFor(column, row.subject, position);
    try {
      gallery.addEncoded(row.subject, position, sealer.open(row.template, binding));
    } catch (error) {
      if (!isRefusedStoredTemplate(error)) throw error;
      refused.push(binding);
    }
  }
  return refused;
}
