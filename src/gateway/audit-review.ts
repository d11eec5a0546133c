import { ConcordError, errorCode } from '../shared/errors.ts';
import type { ReextractionReport } from '../repositories/shared/reextract-templates.ts';
import type { Requester } from './access.ts';
import { alteredRecord, repairOf, searchAudit as searchAuditLog, verifyAuditChain, type AuditEntry, type AuditFilter, type ChainVerdict } from './audit-log.ts';
import { signedRepair, type RepairTarget } from './audit-repair.ts';
import { queryText, type WorkflowContext } from './workflow-context.ts';

/**
 * The privacy officer's side of the audit trail: searching it, verifying its chain, repairing a
 * record a fault broke; and the records of operations that belong on it although no workflow
 * runs them (a refused submission, a template re-extraction, a key rotation).
 */

/** The privacy officer's audit search; the search is itself audited. */
export async function searchAudit(ctx: WorkflowContext, requester: Requester, filter: AuditFilter): Promise<AuditEntry[]> {
  await ctx.authorize(requester, 'audit.read');
  const entries = await searchAuditLog(ctx.db, filter);
  await ctx.audit({ event: 'audit.search', outcome: 'success', recordIds: filter.subject ? [queryText(filter.subject)!] : [] }, requester);
  return entries;
}

export async function verifyAudit(ctx: WorkflowContext, requester: Requester): Promise<ChainVerdict> {
  await ctx.authorize(requester, 'audit.read');
  return verifyAuditChain(ctx.db, { signer: ctx.auditSigner });
}

/**
 * A privacy officer's repair of an audit record a fault broke (its stored hash is not the one
 * its stored content gives): a signed entry, chained like any record, naming the record, both
 * hashes and the cause. Verification then reports that break as repaired, for as long as the
 * record stays as it is now. An intact, unknown or already repaired record is refused, audited.
 */
export async function repairAudit(ctx: WorkflowContext, requester: Requester, seq: number, cause: string): Promise<RepairTarget & { repairSeq: number; cause: string }> {
  await ctx.authorize(requester, 'audit.repair', undefined, [`audit:${seq}`]);
  const refusal = { event: 'audit.repair_refused', recordIds: [`audit:${seq}`] };
  if (!ctx.auditSigner) throw await ctx.refused(requester, refusal, new ConcordError('NOT_AVAILABLE', 'this gateway has no key to sign a repair entry with', {}));
  const target = await alteredRecord(ctx.db, seq);
  if (!target) {
    const exists = (await ctx.db.query('SELECT 1 FROM audit_log WHERE seq = $1::bigint', [seq])).length > 0;
    throw await ctx.refused(requester, refusal, exists ? new ConcordError('NOTHING_TO_CORRECT', `audit record ${seq} is intact: there is nothing to repair`, { seq }) : new ConcordError('NOT_FOUND', `no audit record ${seq}`, { seq }));
  }
  const earlier = await repairOf(ctx.db, target);
  if (earlier) throw await ctx.refused(requester, refusal, new ConcordError('ALREADY_DECIDED', `audit record ${seq} was repaired already, by entry ${earlier}`, { seq, repair: earlier }));
  const at = ctx.now();
  const repairSeq = await ctx.auditWriter.append(signedRepair(target, cause, requester, at, ctx.auditSigner), at);
  return { ...target, repairSeq, cause };
}

/**
 * A submission refused before any workflow ran (an EBTS file answered with ERRT): who sent it,
 * under which TCN, and why — the event names the first error code, e.g. `ebts.refused.MISSING_FIELD`.
 */
export async function recordRefusal(ctx: WorkflowContext, requester: Requester, kind: string, tcn: string | undefined, code: string): Promise<void> {
  await ctx.audit({ event: `${kind}.refused.${code}`, outcome: 'refused', tcn }, requester);
}

/** A re-extraction of stored templates (after an engine upgrade), by whom and with what result, or why it stopped. */
export async function recordReextraction(ctx: WorkflowContext, requester: Requester, result: ReextractionReport | { failed: unknown }): Promise<void> {
  if ('failed' in result) {
    await ctx.audit({ event: 'templates.reextract', outcome: 'failure', recordIds: [errorCode(result.failed) || 'INTERNAL'] }, requester);
    ctx.audited(result.failed);
    return;
  }
  await ctx.audit({ event: 'templates.reextract', outcome: 'success', recordIds: [`${result.reextracted} templates re-extracted`, `${result.withoutImage} without an image`, ...result.refused.map((binding) => `refused:${binding}`)] }, requester);
}

export async function recordKeyRotation(ctx: WorkflowContext, requester: Requester, keyId: string, resealed: number, refused: readonly string[]): Promise<void> {
  await ctx.audit({ event: 'keys.rotate', outcome: 'success', recordIds: [keyId, `${resealed} templates resealed`, ...refused.map((binding) => `refused:${binding}`)] }, requester);
}
