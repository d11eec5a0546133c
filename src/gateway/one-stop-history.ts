import type { CriminalHistory } from '../repositories/criminal/criminal-node.ts';
import type { ImmigrationHistory } from '../repositories/immigration/immigration-node.ts';
import type { Grant } from './dissemination-policy.ts';

/**
 * The one-stop answer: both repositories' records merged into one timeline, each entry labelled
 * with its source, then cut down to what the requester's grant allows. Pure: no I/O.
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
