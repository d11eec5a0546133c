import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import type { Requester } from './access.ts';
import { searchLimit } from './audit-log.ts';
import { queryText, type WorkflowContext } from './workflow-context.ts';

/**
 * The secondary dissemination log (domain brief §7.1): when criminal history received through
 * Concord is passed on to someone outside the original exchange, the releasing officer records
 * the date shared, the record, the requesting agency, the recipient, the method and themself.
 * The gateway writes each entry in the same transaction as its audit record.
 */
export const DISSEMINATION_METHODS = ['electronic', 'email', 'fax', 'mail', 'in_person', 'phone'] as const;
export type DisseminationMethod = (typeof DISSEMINATION_METHODS)[number];

export function isDisseminationMethod(value: unknown): value is DisseminationMethod {
  return typeof value === 'string' && (DISSEMINATION_METHODS as readonly string[]).includes(value);
}

export interface SecondaryDissemination {
  id: number;
  /** The day the record was shared (YYYY-MM-DD). */
  sharedOn: string;
  /** The record passed on: an FBI number or FIN whose criminal history Concord disclosed to the releasing agency. */
  record: string;
  purpose: string;
  requestingAgency: string;
  /** The agency's ORI when it has one: it is then told of corrections (redress). */
  requestingOri?: string;
  recipient: string;
  method: DisseminationMethod;
  releasedBy: string;
  releasedByOri: string;
  /** The audit record written with this entry. */
  auditSeq: number;
}

interface Row {
  id: number;
  shared_on: string;
  record: string;
  purpose: string;
  requesting_agency: string;
  requesting_ori: string | null;
  recipient: string;
  method: DisseminationMethod;
  released_by: string;
  released_by_ori: string;
  audit_seq: number;
}

const toEntry = (row: Row): SecondaryDissemination => ({
  id: Number(row.id),
  sharedOn: row.shared_on,
  record: row.record,
  purpose: row.purpose,
  requestingAgency: row.requesting_agency,
  requestingOri: row.requesting_ori ?? undefined,
  recipient: row.recipient,
  method: row.method,
  releasedBy: row.released_by,
  releasedByOri: row.released_by_ori,
  auditSeq: Number(row.audit_seq),
});

async function recordDissemination(tx: Sql, entry: Omit<SecondaryDissemination, 'id'>): Promise<SecondaryDissemination> {
  const [row] = await tx.query<Row>(
    `INSERT INTO secondary_disseminations (shared_on, record, purpose, requesting_agency, requesting_ori, recipient, method, released_by, released_by_ori, audit_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [entry.sharedOn, entry.record, entry.purpose, entry.requestingAgency, entry.requestingOri ?? null, entry.recipient, entry.method, entry.releasedBy, entry.releasedByOri, entry.auditSeq],
  );
  return toEntry(row);
}

/**
 * What the audit trail shows of criminal history on `record` disclosed to agency `ori`: the day
 * of the first such disclosure and the fullest class disclosed; undefined if none. Only what an
 * agency received can it pass on.
 */
async function criminalHistoryReceived(db: Sql, record: string, ori: string): Promise<{ firstOn: string; fieldClass: 'criminal_history' | 'criminal_summary' } | undefined> {
  const [row] = await db.query<{ first_at: string | null; full: boolean | null }>(
    `SELECT min(at) AS first_at, bool_or(field_classes ? 'criminal_history') AS full FROM audit_log
      WHERE record_ids @> $1::jsonb AND ori = $2 AND outcome = 'success'
        AND (field_classes ? 'criminal_history' OR field_classes ? 'criminal_summary')`,
    [JSON.stringify([record]), ori],
  );
  if (!row?.first_at) return undefined;
  return { firstOn: row.first_at.slice(0, 10), fieldClass: row.full ? 'criminal_history' : 'criminal_summary' };
}

/** The log, newest first, by record and by releasing or requesting agency. */
async function disseminationsMatching(db: Sql, filter: { record?: string; ori?: string; limit?: number }): Promise<SecondaryDissemination[]> {
  const rows = await db.query<Row>(
    `SELECT * FROM secondary_disseminations
      WHERE ($1::text IS NULL OR record = $1) AND ($2::text IS NULL OR released_by_ori = $2 OR requesting_ori = $2)
      ORDER BY id DESC LIMIT $3`,
    [filter.record ?? null, filter.ori ?? null, searchLimit(filter.limit)],
  );
  return rows.map(toEntry);
}

/**
 * Records that the requester passed criminal history on outside the original exchange, with its
 * audit record in the same transaction. Only a record the audit trail shows disclosed to the
 * requester's agency can be passed on from it.
 */
export async function recordSecondaryDissemination(ctx: WorkflowContext, requester: Requester, request: { record: string; purpose?: string; requestingAgency: string; requestingOri?: string; recipient: string; method: DisseminationMethod; sharedOn?: string }): Promise<SecondaryDissemination> {
  const today = ctx.now().toISOString().slice(0, 10);
  const entry = { ...request, sharedOn: request.sharedOn ?? today };
  const purpose = await ctx.requirePurpose(requester, entry.purpose, 'dissemination.refused', entry.record);
  await ctx.authorize(requester, 'history', purpose);
  await ctx.requireGrant(requester, purpose, { event: 'dissemination.refused', recordIds: [entry.record] }, (grant) => grant.criminalHistory !== 'none', 'no criminal history');
  const received = await criminalHistoryReceived(ctx.db, entry.record, requester.ori);
  const refusal = { event: 'dissemination.refused', purpose, recordIds: [entry.record] };
  if (!received) throw await ctx.refused(requester, refusal, new ConcordError('NOT_RECEIVED', `no disclosure of criminal history on ${entry.record} to agency ${requester.ori} is on record: only what the agency received can it pass on`, { field: 'record' }));
  if (entry.sharedOn > today || entry.sharedOn < received.firstOn) {
    throw await ctx.refused(requester, refusal, new ConcordError('BAD_REQUEST', `field "sharedOn" must lie between the agency's first receipt of the record (${received.firstOn}) and today`, { field: 'sharedOn' }));
  }
  return ctx.db.transaction(async (tx) => {
    const auditSeq = await ctx.audit({ event: 'dissemination.secondary', outcome: 'success', purpose, recordIds: [entry.record, ...(entry.requestingOri ? [`to:${entry.requestingOri}`] : [])], fieldClasses: [received.fieldClass] }, requester, tx);
    return recordDissemination(tx, { ...entry, purpose, releasedBy: requester.userId, releasedByOri: requester.ori, auditSeq });
  });
}

/** The secondary dissemination log, for the privacy officer; the search is itself audited. */
export async function searchDisseminations(ctx: WorkflowContext, requester: Requester, filter: { record?: string; ori?: string; limit?: number }): Promise<SecondaryDissemination[]> {
  await ctx.authorize(requester, 'audit.read');
  const entries = await disseminationsMatching(ctx.db, filter);
  await ctx.audit({ event: 'audit.dissemination_search', outcome: 'success', recordIds: filter.record ? [queryText(filter.record)!] : [] }, requester);
  return entries;
}
