import type { WorkflowContext } from './workflow-context.ts';
import { SYSTEM } from './workflow-context.ts';
import { notify } from './notifications.ts';

/**
 * Hit confirmation (domain brief 5.6): an enrollment that hits a want asks the agency holding the
 * warrant to confirm it within ten minutes; unanswered, a second request follows, then escalation.
 */

/** Where unanswered hit confirmations are escalated: the FBI CJIS control terminal. */
export const CONTROL_TERMINAL_ORI = 'DCFBI0000';
export const HIT_CONFIRMATION_KINDS = ['hit_confirmation', 'hit_confirmation_second', 'hit_confirmation_escalated'];
export const HIT_CONFIRMATION_URGENT_MS = 10 * 60 * 1000;

/**
 * Hit confirmations not answered in time: a second request to the entering agency with a new
 * deadline; if that too goes unanswered, escalation to the FBI's control terminal. Runs every
 * minute on one gateway replica; each step is a notification, audited, sent once.
 */
export async function escalateOverdueConfirmations(ctx: WorkflowContext): Promise<{ secondRequests: number; escalations: number }> {
  const now = ctx.now();
  return ctx.db.transaction(async (tx) => {
    const overdue = await tx.query<{ kind: string; to_ori: string; subject_ref: string; tcn: string; payload: Record<string, unknown> }>(
      `SELECT n.kind, n.to_ori, n.subject_ref, n.tcn, n.payload FROM notifications n
        WHERE n.kind IN ('hit_confirmation', 'hit_confirmation_second') AND n.answer IS NULL AND n.deadline < $1
          AND NOT EXISTS (SELECT 1 FROM notifications later WHERE later.tcn = n.tcn AND later.answer IS NOT NULL AND later.kind = ANY($2))`,
      [now.toISOString(), HIT_CONFIRMATION_KINDS],
    );
    let secondRequests = 0;
    let escalations = 0;
    for (const n of overdue) {
      const second = n.kind === 'hit_confirmation';
      const kind = second ? 'hit_confirmation_second' : 'hit_confirmation_escalated';
      const to = second ? n.to_ori : CONTROL_TERMINAL_ORI;
      const exists = await tx.query('SELECT 1 FROM notifications WHERE kind = $1 AND tcn = $2 AND to_ori = $3', [kind, n.tcn, to]);
      if (exists.length > 0) continue;
      const deadline = second ? new Date(now.getTime() + HIT_CONFIRMATION_URGENT_MS).toISOString() : undefined;
      await notify(tx, ctx.now(), kind, to, n.subject_ref, n.tcn, { ...n.payload, enteringOri: n.to_ori, unansweredSince: now.toISOString() }, deadline);
      await ctx.audit({ event: `${kind}.sent`, outcome: 'success', tcn: n.tcn, recordIds: [n.subject_ref, `to:${to}`] }, SYSTEM, tx);
      if (second) secondRequests++;
      else escalations++;
    }
    return { secondRequests, escalations };
  });
}
