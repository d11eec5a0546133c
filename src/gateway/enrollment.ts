import { errorCode } from '../shared/errors.ts';
import type { EnrollmentRequest, EnrollmentResult } from '../repositories/immigration/immigration-node.ts';
import type { Requester } from './access.ts';
import { HIT_CONFIRMATION_URGENT_MS } from './hit-confirmation.ts';
import { link } from './identity-links.ts';
import { notify } from './notifications.ts';
import { once } from './tcn-claims.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** Port enrollment: a traveller's encounter recorded by the immigration repository, and any want it hits. */
export interface EnrollmentAnswer extends EnrollmentResult {
  tcr: string;
  hitConfirmationRequests: { toOri: string; warrantNo: string; deadline: string }[];
}

/**
 * Records the encounter once per TCN. A hit on a want asks the agency holding the warrant to
 * confirm it (urgent: the traveller is at the port) and links the traveller to the record.
 */
export async function enroll(ctx: WorkflowContext, requester: Requester, request: Omit<EnrollmentRequest, 'officer' | 'ori'>): Promise<EnrollmentAnswer> {
  await ctx.authorize(requester, 'enroll');
  return once(ctx, requester, request.tcn, 'encounter', undefined, request, async () => {
    const result = await ctx.bus.request<EnrollmentResult>('immigration.enroll', { ...request, officer: requester.userId, ori: requester.ori }).catch(async (error: unknown) => {
      // Refused by the repository's rules (an impossible date, an unknown class): audited too.
      await ctx.audit({ event: `encounter.refused.${errorCode(error) || 'INTERNAL'}`, outcome: 'refused', tcn: request.tcn }, requester).catch(() => undefined);
      throw ctx.audited(error);
    });
    const deadline = new Date(ctx.now().getTime() + HIT_CONFIRMATION_URGENT_MS).toISOString();
    const wantedHits = result.hits.filter((h) => h.kind === 'wanted');
    const answer: EnrollmentAnswer = {
      ...result,
      tcr: request.tcn,
      hitConfirmationRequests: wantedHits.map((h) => ({ toOri: String(h.detail.ori), warrantNo: String(h.detail.warrantNo), deadline })),
    };
    return {
      answer,
      audit: {
        event: 'encounter.enroll',
        outcome: 'success',
        recordIds: [result.fin, `encounter:${result.encounterId}`, ...wantedHits.map((h) => String(h.detail.wantedId))].filter((x): x is string => !!x),
        fieldClasses: ['immigration', ...(request.face ? ['face'] : []), ...(wantedHits.length ? ['wanted'] : [])],
      },
      alsoInTransaction: async (tx) => {
        // A photo the officer accepted though it failed its checks: who, which checks, and why, in the same transaction.
        const override = request.face?.override;
        if (override) {
          await ctx.audit({ event: 'encounter.photo_override', outcome: 'success', tcn: request.tcn, recordIds: [result.fin, `encounter:${result.encounterId}`, `failed_checks:${override.failed.join(',')}`, `override_reason:${override.reason}`].filter((x): x is string => !!x), fieldClasses: ['face'] }, requester, tx);
        }
        for (const hit of wantedHits) {
          await notify(tx, ctx.now(), 'hit_confirmation', String(hit.detail.ori), String(hit.detail.fbiNumber), request.tcn, { ...hit.detail, port: request.port, fin: result.fin, urgent: true }, deadline);
          if (result.fin) await link(tx, String(hit.detail.fbiNumber), result.fin, request.tcn, ctx.now());
        }
      },
    };
  });
}
