import type { Requester } from './access.ts';
import { SYSTEM, type WorkflowContext } from './workflow-context.ts';

/** How long each kind of record is kept (domain brief 7.3; configurable). */
export interface RetentionRules {
  immigrationYears: number;
  /** Criminal records are kept until the subject would be this old. */
  criminalAgeYears: number;
  auditYears: number;
}

export const DEFAULT_RETENTION: RetentionRules = { immigrationYears: 75, criminalAgeYears: 110, auditYears: 7 };

export interface RetentionReport {
  at: string;
  immigration: { samples: number; encounters: number; subjects: number };
  criminal: { subjects: number };
  auditRecords: number;
  transactions: number;
  notifications: number;
  secondaryDisseminations: number;
}

/**
 * The retention purge: each repository deletes what has outlived its retention, the audit trail
 * drops records past theirs (behind a checkpoint that keeps the chain verifiable), and the purge
 * itself is audited with what it deleted. Run by an administrator, or by the system daily.
 */
export async function runRetention(ctx: WorkflowContext, requester: Requester | undefined, rules: RetentionRules): Promise<RetentionReport> {
  if (requester) await ctx.authorize(requester, 'accounts.manage');
  const now = ctx.now();
  const yearsAgo = (years: number) => new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));
  const { purged: purgedFins, ...travellers } = await ctx.bus.request<{ samples: number; encounters: number; purged: string[] }>('immigration.purge', { before: yearsAgo(rules.immigrationYears).toISOString() });
  const { purged: purgedRecords } = await ctx.bus.request<{ purged: string[] }>('criminal.purge', { bornBefore: yearsAgo(rules.criminalAgeYears).toISOString().slice(0, 10) });
  const immigration = { ...travellers, subjects: purgedFins.length };
  const criminal = { subjects: purgedRecords.length };
  return ctx.db.transaction(async (tx) => {
    const auditCutoff = yearsAgo(rules.auditYears);
    const auditRecords = await ctx.auditWriter.purgeBefore(tx, auditCutoff);
    // Stored answers and notifications carry what was disclosed: they go with the audit records.
    const transactions = (await tx.query('DELETE FROM transactions WHERE received_at < $1 RETURNING tcn', [auditCutoff.toISOString()])).length;
    const notifications = (await tx.query('DELETE FROM notifications WHERE sent_at < $1 RETURNING id', [auditCutoff.toISOString()])).length;
    // The secondary dissemination log is kept as long as the record disseminated (domain brief 7.3).
    const secondaryDisseminations = (await tx.query('DELETE FROM secondary_disseminations WHERE record = ANY($1) RETURNING id', [[...purgedRecords, ...purgedFins]])).length;
    const report: RetentionReport = { at: now.toISOString(), immigration, criminal, auditRecords, transactions, notifications, secondaryDisseminations };
    const counts = [
      `immigration samples ${immigration.samples}`,
      `encounters ${immigration.encounters}`,
      `travellers ${immigration.subjects}`,
      `criminal subjects ${criminal.subjects}`,
      `audit records ${auditRecords}`,
      `transactions ${transactions}`,
      `notifications ${notifications}`,
      `secondary disseminations ${secondaryDisseminations}`,
    ];
    await ctx.audit({ event: 'retention.purge', outcome: 'success', recordIds: counts }, requester ?? SYSTEM, tx);
    return report;
  });
}
