import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import { mayPerform, type Requester } from './access.ts';
import { notify } from './notifications.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * Redress (domain brief §5.7): a person asks for a record to be corrected; the privacy officer
 * logs the request, the repository that owns the record corrects it or declines with a reason,
 * and every agency that received the wrong data is told. The kinds Concord can correct itself:
 */
export const REDRESS_KINDS = {
  /** A prints-match conflict wrongly raised against a traveller (the identity_conflict flag). */
  identity_merge: { repository: 'immigration', correction: 'remove the identity-conflict flag' },
  /** An overstay recorded because no exit was captured (the overstay flag). */
  overstay_error: { repository: 'immigration', correction: 'remove the overstay flag' },
  /** A subject's challenge of an arrest on their identity history (the arrest is sealed). */
  record_challenge: { repository: 'criminal', correction: 'seal the arrest' },
} as const;

export type RedressKind = keyof typeof REDRESS_KINDS;
export type Repository = (typeof REDRESS_KINDS)[RedressKind]['repository'];

export interface RedressCase {
  id: number;
  subject: string;
  kind: RedressKind;
  repository: Repository;
  description: string;
  /** For a record challenge: the TCN of the arrest challenged. */
  arrestTcn?: string;
  openedBy: string;
  openedAt: string;
  status: 'open' | 'deciding' | 'corrected' | 'declined';
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
  /** Agencies told of the correction. */
  notified: string[];
}

export function isRedressKind(value: unknown): value is RedressKind {
  return typeof value === 'string' && Object.hasOwn(REDRESS_KINDS, value);
}

interface CaseRow {
  id: number;
  subject: string;
  kind: RedressKind;
  repository: Repository;
  description: string;
  arrest_tcn: string | null;
  opened_by: string;
  opened_at: string;
  status: RedressCase['status'];
  decided_by: string | null;
  decided_at: string | null;
  reason: string | null;
  notified: string[];
}

const toCase = (r: CaseRow): RedressCase => ({
  id: Number(r.id),
  subject: r.subject,
  kind: r.kind,
  repository: r.repository,
  description: r.description,
  arrestTcn: r.arrest_tcn ?? undefined,
  openedBy: r.opened_by,
  openedAt: r.opened_at,
  status: r.status,
  decidedBy: r.decided_by ?? undefined,
  decidedAt: r.decided_at ?? undefined,
  reason: r.reason ?? undefined,
  notified: r.notified ?? [],
});

export async function openCase(tx: Sql, request: { subject: string; kind: RedressKind; description: string; arrestTcn?: string; openedBy: string; at: Date }): Promise<RedressCase> {
  const [row] = await tx.query<CaseRow>(
    `INSERT INTO redress_cases (subject, kind, repository, description, arrest_tcn, opened_by, opened_at, status, notified)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', '[]') RETURNING *`,
    [request.subject, request.kind, REDRESS_KINDS[request.kind].repository, request.description, request.arrestTcn ?? null, request.openedBy, request.at.toISOString()],
  );
  return toCase(row);
}

export async function listCases(db: Sql, repository?: Repository): Promise<RedressCase[]> {
  const rows = await db.query<CaseRow>(`SELECT * FROM redress_cases WHERE $1::text IS NULL OR repository = $1 ORDER BY id DESC`, [repository ?? null]);
  return rows.map(toCase);
}

export async function caseById(db: Sql, id: number): Promise<RedressCase> {
  const [row] = Number.isInteger(id) ? await db.query<CaseRow>('SELECT * FROM redress_cases WHERE id = $1', [id]) : [];
  if (!row) throw new ConcordError('NOT_FOUND', `no redress case ${id}`, { id });
  return toCase(row);
}

/** Marks an open case as being decided; a case already taken or decided is refused. */
export async function claimCase(db: Sql, id: number): Promise<void> {
  const rows = await db.query(`UPDATE redress_cases SET status = 'deciding' WHERE id = $1 AND status = 'open' RETURNING id`, [id]);
  if (rows.length === 0) throw new ConcordError('ALREADY_DECIDED', `redress case ${id} is already being or has been decided`, { id });
}

/** Gives a claimed case back when its decision could not be carried out. */
export async function releaseCase(db: Sql, id: number): Promise<void> {
  await db.query(`UPDATE redress_cases SET status = 'open' WHERE id = $1 AND status = 'deciding'`, [id]);
}

export async function recordDecision(tx: Sql, id: number, decision: { status: 'corrected' | 'declined'; decidedBy: string; reason: string; notified: string[]; at: Date }): Promise<RedressCase> {
  const [row] = await tx.query<CaseRow>(
    `UPDATE redress_cases SET status = $1, decided_by = $2, decided_at = $3, reason = $4, notified = $5 WHERE id = $6 RETURNING *`,
    [decision.status, decision.decidedBy, decision.at.toISOString(), decision.reason, JSON.stringify(decision.notified), id],
  );
  return toCase(row);
}

/**
 * Agencies that received data about `subject`: from the audit trail, and the agencies it was
 * passed on to, as the secondary dissemination log records them.
 */
export async function recipientsOf(db: Sql, subject: string): Promise<string[]> {
  const rows = await db.query<{ ori: string }>(
    `SELECT ori FROM audit_log
      WHERE record_ids @> $1::jsonb AND outcome = 'success' AND ori IS NOT NULL
        AND event NOT LIKE 'audit.%' AND event NOT LIKE 'redress.%'
     UNION
     SELECT requesting_ori FROM secondary_disseminations WHERE record = $2 AND requesting_ori IS NOT NULL
     ORDER BY ori`,
    [JSON.stringify([subject]), subject],
  );
  return rows.map((r) => r.ori);
}

/** The privacy officer logs a person's request for correction. */
export async function openRedress(ctx: WorkflowContext, requester: Requester, request: { subject: string; kind: RedressKind; description: string; arrestTcn?: string }): Promise<RedressCase> {
  await ctx.authorize(requester, 'redress.open');
  if (request.kind === 'record_challenge' && !request.arrestTcn) throw new ConcordError('BAD_REQUEST', 'a record challenge names the arrest (arrestTcn)', { field: 'arrestTcn' });
  return ctx.db.transaction(async (tx) => {
    const opened = await openCase(tx, { ...request, openedBy: requester.userId, at: ctx.now() });
    await ctx.audit({ event: 'redress.open', outcome: 'success', recordIds: [request.subject, `redress:${opened.id}`] }, requester, tx);
    return opened;
  });
}

/** The privacy officer sees every case; an analyst, those of their repository. */
export async function redressCases(ctx: WorkflowContext, requester: Requester): Promise<RedressCase[]> {
  if (mayPerform(requester, 'redress.open')) return listCases(ctx.db);
  await ctx.authorize(requester, 'redress.decide');
  return listCases(ctx.db, repositoryOf(requester));
}

/**
 * The owning repository's decision. A correction is applied by the repository itself, then every
 * agency the audit trail shows received the subject's data is notified, in one transaction
 * with the decision and its audit record.
 */
export async function decideRedress(ctx: WorkflowContext, requester: Requester, id: number, decision: { outcome: 'corrected' | 'declined'; reason: string }): Promise<RedressCase> {
  await ctx.authorize(requester, 'redress.decide');
  const pending = await caseById(ctx.db, id);
  if (pending.repository !== repositoryOf(requester)) throw new ConcordError('FORBIDDEN', `the ${pending.repository} repository decides case ${id}`, { id });
  // Claim the case first, so two analysts cannot both act on it; give it back if the correction fails.
  await claimCase(ctx.db, id);
  try {
    if (decision.outcome === 'corrected') {
      if (pending.kind === 'record_challenge') await ctx.bus.request('criminal.correct', { fbiNumber: pending.subject, arrestTcn: pending.arrestTcn });
      else await ctx.bus.request('immigration.correct', { fin: pending.subject, flag: pending.kind === 'overstay_error' ? 'overstay' : 'identity_conflict' });
    }
    return await ctx.db.transaction(async (tx) => {
      const recipients = decision.outcome === 'corrected' ? await recipientsOf(tx, pending.subject) : [];
      for (const ori of recipients) {
        await notify(tx, ctx.now(), 'redress_correction', ori, pending.subject, `REDRESS-${id}`, { caseId: id, kind: pending.kind, correction: REDRESS_KINDS[pending.kind].correction, reason: decision.reason }, undefined);
      }
      const decided = await recordDecision(tx, id, { status: decision.outcome, decidedBy: requester.userId, reason: decision.reason, notified: recipients, at: ctx.now() });
      await ctx.audit({ event: `redress.${decision.outcome}`, outcome: 'success', recordIds: [pending.subject, `redress:${id}`, ...recipients.map((ori) => `notified:${ori}`)] }, requester, tx);
      return decided;
    });
  } catch (error) {
    await releaseCase(ctx.db, id);
    throw error;
  }
}

/** Which repository's records an analyst answers for. */
function repositoryOf(requester: Requester): Repository | undefined {
  return requester.role === 'immigration_analyst' ? 'immigration' : requester.role === 'justice_analyst' ? 'criminal' : undefined;
}
