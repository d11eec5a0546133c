import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import type { Requester } from './access.ts';
import { HIT_CONFIRMATION_KINDS } from './hit-confirmation.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * Notifications: what the gateway tells an agency (ICE of a booking match, an entering agency of
 * a hit to confirm, the recipients of a corrected record), and how the agency works each alert.
 */
export interface Alert {
  id: number;
  kind: string;
  subjectRef: string;
  tcn: string;
  payload: unknown;
  sentAt: string;
  deadline?: string;
  /** new, acknowledged, overdue (a deadline passed unanswered), confirmed or not_confirmed. */
  state: string;
}

/** Sends a notification in the transaction that caused it; sent once per kind, TCN, recipient and subject. */
export async function notify(tx: Sql, at: Date, kind: string, toOri: string, subjectRef: string, tcn: string, payload: unknown, deadline: string | undefined): Promise<void> {
  await tx.query(
    `INSERT INTO notifications (kind, to_ori, subject_ref, tcn, payload, sent_at, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, tcn, to_ori, subject_ref) DO NOTHING`,
    [kind, toOri, subjectRef, tcn, JSON.stringify(payload), at.toISOString(), deadline ?? null],
  );
}

export async function notifications(ctx: WorkflowContext, ori: string): Promise<Alert[]> {
  const rows = await ctx.db.query<{ id: number; kind: string; subject_ref: string; tcn: string; payload: unknown; sent_at: string; deadline: string | null; ack_at: string | null; answer: string | null }>(
    'SELECT id, kind, subject_ref, tcn, payload, sent_at, deadline, ack_at, answer FROM notifications WHERE to_ori = $1 ORDER BY id',
    [ori],
  );
  const now = ctx.now().toISOString();
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    subjectRef: r.subject_ref,
    tcn: r.tcn,
    payload: r.payload,
    sentAt: r.sent_at,
    deadline: r.deadline ?? undefined,
    state: r.answer ?? (r.deadline && r.deadline < now ? 'overdue' : r.ack_at ? 'acknowledged' : 'new'),
  }));
}

/**
 * Works an alert of the requester's agency: `acknowledged`, or for a hit confirmation the
 * answer of the agency holding the warrant (`confirmed`: the warrant is active and this is the
 * person; `not_confirmed`). Audited; answering twice keeps the first answer.
 */
export async function answerAlert(ctx: WorkflowContext, requester: Requester, id: number, answer: 'acknowledged' | 'confirmed' | 'not_confirmed'): Promise<Alert> {
  const [row] = await ctx.db.query<{ kind: string; to_ori: string; tcn: string }>('SELECT kind, to_ori, tcn FROM notifications WHERE id = $1', [id]);
  if (!row || row.to_ori !== requester.ori) throw new ConcordError('NOT_FOUND', `no alert ${id} for agency ${requester.ori}`, { id });
  if (answer !== 'acknowledged' && !HIT_CONFIRMATION_KINDS.includes(row.kind)) throw new ConcordError('BAD_REQUEST', 'only hit confirmations are confirmed or not', { field: 'answer' });
  await ctx.db.transaction(async (tx) => {
    await tx.query('UPDATE notifications SET ack_at = COALESCE(ack_at, $1) WHERE id = $2', [ctx.now().toISOString(), id]);
    if (answer !== 'acknowledged') {
      const set = await tx.query('UPDATE notifications SET answer = $1, answered_by = $2 WHERE id = $3 AND (answer IS NULL OR answer = $1) RETURNING id', [answer, requester.userId, id]);
      if (set.length === 0) throw new ConcordError('ALREADY_DECIDED', `alert ${id} was already answered otherwise; the first answer stands`, { id });
      // One hit, one answer: the first request, the second and the escalation close together.
      await tx.query(`UPDATE notifications SET answer = $1, answered_by = $2 WHERE tcn = $3 AND kind = ANY($4) AND answer IS NULL`, [answer, requester.userId, row.tcn, HIT_CONFIRMATION_KINDS]);
    }
    await ctx.audit({ event: `alert.${answer}`, outcome: 'success', tcn: row.tcn, recordIds: [String(id)] }, requester, tx);
  });
  return (await notifications(ctx, requester.ori)).find((alert) => alert.id === id)!;
}
