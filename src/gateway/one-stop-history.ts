import { ConcordError, isConcordError } from '../shared/errors.ts';
import type { CriminalHistory } from '../repositories/criminal/criminal-node.ts';
import type { ImmigrationHistory } from '../repositories/immigration/immigration-node.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import type { SubjectMatch } from '../repositories/shared/identification.ts';
import { incompleteSearch, SEARCH_RETRY_AFTER_SECONDS } from '../repositories/shared/node-gallery.ts';
import type { Requester } from './access.ts';
import { grantFor, opensCriminal, releasesBookingPhoto, opensImmigration, POLICY_VERSION, type Grant, type PurposeCode } from './dissemination-policy.ts';
import { completeByLinks } from './identity-links.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * The one-stop history (domain brief 5.8): a subject asked about by FBI number, FIN or prints;
 * both repositories' records merged into one timeline, each entry labelled with its source, then
 * cut down to what the requester's grant allows (`buildOneStopHistory`, pure: no I/O).
 */
export interface TimelineEntry {
  date: string;
  source: 'criminal' | 'immigration';
  kind: string;
  summary: string;
}

export interface OneStopHistory {
  identities: { name: string; dob?: string; source: 'criminal' | 'immigration' }[];
  identifiers: { fbiNumber?: string; fin?: string };
  wanted: { warrantNo: string; enteringOri: string; offense: string; caution: string[] }[];
  immigrationSummary?: { knownToDhs: boolean; fin?: string; statusClass?: string; flags: string[] };
  timeline: TimelineEntry[];
  /** A face photo may be fetched (GET /v1/subjects/{id}/photo), under the same grant. */
  photoAvailable?: boolean;
  /** A booking photo may be fetched (GET /v1/subjects/{fbiNumber}/booking-photo), under the same grant. */
  bookingPhotoAvailable?: boolean;
  /** True when policy removed anything; what was removed is not said. */
  withheld: boolean;
  fieldClasses: string[];
}

const SERIOUS_FLAGS = new Set(['removed', 'expedited_removal', 'overstay', 'identity_conflict', 'watchlist']);

export function buildOneStopHistory(grant: Grant, criminal?: CriminalHistory, immigration?: ImmigrationHistory): OneStopHistory {
  const history: OneStopHistory = { identities: [], identifiers: {}, wanted: [], timeline: [], withheld: false, fieldClasses: [] };
  const withhold = () => (history.withheld = true);

  if (criminal) {
    history.identifiers.fbiNumber = criminal.fbiNumber;
    if (grant.criminalHistory !== 'none') {
      history.fieldClasses.push(grant.criminalHistory === 'full' ? 'criminal_history' : 'criminal_summary');
      history.identities.push(...criminal.identities.map((i) => ({ name: `${i.family}, ${i.given}`, dob: i.dob, source: 'criminal' as const })));
      for (const arrest of criminal.arrests) {
        const convicted = arrest.dispositions.some((d) => d.outcome === 'convicted');
        const felony = arrest.charges.some((c) => c.severity === 'felony');
        if (grant.criminalHistory === 'summary' && !(convicted && felony)) {
          withhold();
          continue;
        }
        history.timeline.push({
          date: arrest.dateOfArrest,
          source: 'criminal',
          kind: 'arrest',
          summary: `arrested by ${arrest.arrestingOri}: ${arrest.charges.map((c) => c.literal).join('; ')}`,
        });
        for (const d of arrest.dispositions) {
          history.timeline.push({ date: d.date, source: 'criminal', kind: 'disposition', summary: `${d.outcome} (${d.court})${d.sentence ? `, ${d.sentence}` : ''}` });
        }
      }
    } else if (criminal.arrests.length > 0) {
      withhold();
    }
    if (releasesBookingPhoto(grant) && criminal.photos > 0) history.bookingPhotoAvailable = true;
    if (grant.wanted) {
      if (criminal.wanted.length > 0) history.fieldClasses.push('wanted');
      history.wanted = criminal.wanted.map((w) => ({ warrantNo: w.warrantNo, enteringOri: w.enteringOri, offense: w.offense, caution: w.caution }));
      for (const w of criminal.wanted) history.timeline.push({ date: w.dateOfWarrant, source: 'criminal', kind: 'warrant', summary: `wanted by ${w.enteringOri}: ${w.offense}` });
    } else if (criminal.wanted.length > 0) {
      withhold();
    }
  }

  if (immigration) {
    if (immigration.protectedContentExists) withhold(); // asylum, 1367 and consular content never leave the node
    if (grant.immigration === 'full') {
      history.fieldClasses.push('immigration');
      if (immigration.photos > 0) history.photoAvailable = true;
      history.identifiers.fin = immigration.fin;
      history.identities.push(...immigration.identities.map((i) => ({ name: `${i.family}, ${i.given}`, dob: i.dob, source: 'immigration' as const })));
      for (const e of immigration.encounters) {
        history.timeline.push({
          date: e.at,
          source: 'immigration',
          kind: e.type,
          summary: `${e.type} at ${e.place}, class ${e.admissionClass}: ${e.decision}${e.admittedUntil ? ` until ${e.admittedUntil}` : ''}${e.exemption ? ` (${e.exemption})` : ''}`,
        });
      }
      for (const f of immigration.flags) history.timeline.push({ date: f.since, source: 'immigration', kind: 'flag', summary: f.kind });
    } else if (grant.immigration === 'idr_summary') {
      history.fieldClasses.push('immigration_summary');
      const last = immigration.encounters.filter((e) => e.type === 'entry').at(-1);
      history.immigrationSummary = {
        knownToDhs: true,
        fin: immigration.fin,
        statusClass: last ? `nonimmigrant ${last.admissionClass}` : undefined,
        flags: immigration.flags.map((f) => f.kind).filter((k) => SERIOUS_FLAGS.has(k)),
      };
      withhold();
    } else {
      withhold();
    }
  }

  history.timeline.sort((a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source));
  return history;
}

/** What a history by prints names in its audit records until the prints name someone. */
export const PRINTS = 'prints';

/** A one-stop history as answered: the subject asked about, the purpose, and the policy that filtered it. */
export type SubjectHistory = OneStopHistory & { subject: string; purpose: PurposeCode; policyVersion: string };

/** Whether a grant lets either repository answer with records (wanted status counts). */
export function opensRecords(grant: Grant): boolean {
  return opensCriminal(grant) || opensImmigration(grant);
}

/** The one-stop history of a subject named by FBI number or FIN. */
export async function history(ctx: WorkflowContext, requester: Requester, id: string, requested: string | undefined): Promise<SubjectHistory> {
  const purpose = await ctx.requirePurpose(requester, requested, 'history.refused', id);
  await ctx.authorize(requester, 'history', purpose);
  // A FIN is itself immigration data: without an immigration grant it is refused alike for every FIN, known or not.
  const byFin = id.startsWith('FIN');
  await ctx.requireGrant(requester, purpose, { event: 'history.refused', recordIds: [id] }, byFin ? opensImmigration : opensRecords, byFin ? 'no immigration data (a FIN is immigration data)' : 'no record');
  const subject = await completeByLinks(ctx.db, byFin ? { fin: id } : { fbiNumber: id });
  return discloseHistory(ctx, requester, purpose, id, subject, 'history');
}

/**
 * The one-stop history of whoever the prints identify. Only the repositories the requester's
 * grant opens are searched, and only a positive identification is answered: a possible match
 * could be someone else. The identity links complete what the searches found, so the answer is
 * the one the identifier would give; where they contradict the searches, nothing is disclosed.
 * The prints are read only once purpose, right and grant are established. Every outcome is
 * audited under `history_by_prints.*`.
 */
export async function historyByPrints(ctx: WorkflowContext, requester: Requester, requested: string | undefined, readFingers: () => Promise<FingerPayload[]>): Promise<SubjectHistory> {
  const purpose = await ctx.requirePurpose(requester, requested, 'history_by_prints.refused', PRINTS);
  await ctx.authorize(requester, 'history', purpose);
  const refusal = (event: string, recordIds = [PRINTS]) => ({ event: `history_by_prints.${event}`, purpose, recordIds });
  const grant = await ctx.requireGrant(requester, purpose, refusal('refused'), opensRecords);
  const searchCriminal = opensCriminal(grant);
  const searchImmigration = opensImmigration(grant);
  const fingers = await readFingers();
  if (fingers.length < 1 || fingers.length > 10) throw await ctx.refused(requester, refusal('refused'), new ConcordError('FINGER_COUNT', `a history by prints takes 1 to 10 fingers, got ${fingers.length}`, { fingers: fingers.length }));
  // The searches answer who matched and nothing else: the grant decides what is fetched after.
  let searches: (SubjectMatch | undefined)[];
  try {
    searches = await Promise.all([
      searchCriminal ? ctx.bus.request<SubjectMatch>('criminal.match', { fingers }) : undefined,
      searchImmigration ? ctx.bus.request<SubjectMatch>('immigration.match', { fingers }) : undefined,
    ]);
  } catch (error) {
    await ctx.audit({ event: 'history_by_prints.search_failed', outcome: 'failure', purpose, recordIds: [PRINTS] }, requester);
    throw ctx.audited(error);
  }
  const [criminal, immigration] = searches;
  const found = { fbiNumber: criminal?.subject, fin: immigration?.subject };
  if (!found.fbiNumber && criminal?.incomplete) {
    // Not found in part of the criminal gallery proves nothing: the record could be in a shard not searched.
    const { message, marker } = incompleteSearch(criminal.incomplete);
    throw await ctx.refused(requester, refusal('search_incomplete', [PRINTS, marker]), new ConcordError('SEARCH_INCOMPLETE', `${message}: ask again shortly`, { search: marker, retryAfter: SEARCH_RETRY_AFTER_SECONDS }));
  }
  if (!found.fbiNumber && !found.fin) {
    const matchLevel = criminal?.level === 'possible' || immigration?.level === 'possible' ? 'possible' : 'none';
    throw await ctx.refused(requester, refusal('no_identification'), new ConcordError('SUBJECT_NOT_FOUND', matchLevel === 'possible' ? 'the prints give only a possible match, no positive identification: an examiner must confirm it before any record is disclosed' : 'the prints match no record', { matchLevel }));
  }
  const subject = await completeByLinks(ctx.db, found);
  if (subject.conflict) {
    const error = new ConcordError('IDENTITY_CONFLICT', 'the prints identify records in the two repositories that the identity links assign to different people: an examiner must resolve this before any record is disclosed', {});
    throw await ctx.refused(requester, refusal('identity_conflict', [found.fbiNumber!, found.fin!]), error);
  }
  // Named by FBI number only for a requester the criminal repository may answer; else by FIN.
  const id = (searchCriminal ? subject.fbiNumber : undefined) ?? subject.fin ?? subject.fbiNumber!;
  return discloseHistory(ctx, requester, purpose, id, subject, 'history_by_prints');
}

/**
 * Gathers what the grant allows from both repositories, filters it, and audits the disclosure
 * (`<events>.disclose`) before it is returned; an identifier no repository knows is audited too
 * (`<events>.not_found`): guessing identifiers leaves a trace.
 */
async function discloseHistory(ctx: WorkflowContext, requester: Requester, purpose: PurposeCode, id: string, { fbiNumber, fin }: { fbiNumber?: string; fin?: string }, events: 'history' | 'history_by_prints'): Promise<SubjectHistory> {
  const grant = grantFor(requester, purpose);
  // Ask only for what may be disclosed: data minimisation starts at the source.
  const wantCriminal = fbiNumber && opensCriminal(grant);
  const wantImmigration = fin && opensImmigration(grant);
  let records: [CriminalHistory | undefined, ImmigrationHistory | undefined];
  try {
    records = await Promise.all([
      wantCriminal ? ctx.bus.request<CriminalHistory>('criminal.history', { fbiNumber }) : undefined,
      // A link may outlive a purged immigration record: then there is no immigration part.
      wantImmigration ? ctx.bus.request<ImmigrationHistory>('immigration.history', { fin }).catch((error: unknown) => {
        if (isConcordError(error, 'SUBJECT_NOT_FOUND') && id !== fin) return undefined;
        throw error;
      }) : undefined,
    ]);
  } catch (error) {
    if (isConcordError(error, 'SUBJECT_NOT_FOUND')) throw await ctx.refused(requester, { event: `${events}.not_found`, purpose, recordIds: [id] }, error);
    // A stored record the repository cannot read back: the reader is told which, and so is the trail.
    if (isConcordError(error, 'RECORD_MALFORMED')) {
      await ctx.audit({ event: `${events}.record_malformed`, outcome: 'failure', purpose, recordIds: [id, `arrest:${error.where.tcn}`] }, requester);
      throw ctx.audited(error);
    }
    throw error;
  }
  const history = buildOneStopHistory(grant, ...records);
  // Without an immigration grant the answer is marked withheld whether or not a FIN is linked: the mark must not tell.
  if (grant.immigration === 'none' || (fbiNumber && !wantCriminal)) history.withheld = true;
  const answer = { subject: id, purpose, policyVersion: POLICY_VERSION, ...history };
  await ctx.audit({ event: `${events}.disclose`, outcome: 'success', purpose, recordIds: [fbiNumber, fin].filter((x): x is string => !!x), fieldClasses: history.fieldClasses }, requester);
  return answer;
}
