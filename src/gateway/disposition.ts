import { errorCode } from '../shared/errors.ts';
import type { Disposition, DispositionReport } from '../repositories/criminal/criminal-node.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * A court's disposition of an arrest, recorded on the rap sheet by a requester who may report
 * dispositions. Audited before the criminal node writes it, as a booking is.
 */
export async function reportDisposition(ctx: WorkflowContext, requester: Requester, report: { fbiNumber: string; arrestTcn: string; disposition: Disposition }): Promise<{ fbiNumber: string; arrestTcn: string; dispositions: number }> {
  await ctx.authorize(requester, 'disposition.report');
  const recordIds = [report.fbiNumber, `arrest:${report.arrestTcn}`];
  await ctx.audit({ event: 'disposition.submitted', outcome: 'success', recordIds, fieldClasses: ['criminal_history'] }, requester);
  let recorded: { fbiNumber: string; arrestTcn: string; dispositions: number };
  try {
    recorded = await ctx.bus.request('criminal.disposition', { ...report, reportsDispositions: true } satisfies DispositionReport);
  } catch (error) {
    await ctx.audit({ event: `disposition.refused.${errorCode(error) || 'INTERNAL'}`, outcome: 'refused', recordIds }, requester).catch(() => undefined);
    throw ctx.audited(error);
  }
  await ctx.audit({ event: 'disposition.record', outcome: 'success', recordIds, fieldClasses: ['criminal_history'] }, requester);
  return recorded;
}
