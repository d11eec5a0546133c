import type { WantedEntry, WantedSummary } from '../repositories/criminal/criminal-node.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** Wants and warrants: entered and cleared by the agency that holds the warrant, kept by the criminal repository. */

export async function enterWanted(ctx: WorkflowContext, requester: Requester, entry: Omit<WantedEntry, 'enteringOri'>): Promise<WantedSummary> {
  await ctx.authorize(requester, 'wanted.enter');
  const record = await ctx.bus.request<WantedSummary>('criminal.wanted.enter', { ...entry, enteringOri: requester.ori });
  await ctx.audit({ event: 'wanted.enter', outcome: 'success', recordIds: [record.id, entry.fbiNumber], fieldClasses: ['wanted'] }, requester);
  return record;
}

export async function clearWanted(ctx: WorkflowContext, requester: Requester, id: string): Promise<WantedSummary> {
  await ctx.authorize(requester, 'wanted.clear');
  const record = await ctx.bus.request<WantedSummary>('criminal.wanted.clear', { id, ori: requester.ori });
  await ctx.audit({ event: 'wanted.clear', outcome: 'success', recordIds: [id], fieldClasses: ['wanted'] }, requester);
  return record;
}
