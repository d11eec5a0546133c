import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * A photo's capture checks run without enrolling (the port console checks a photo as the officer
 * takes it): nothing is stored, but who checked a photo, how many faces it held and which checks
 * failed is audited like every other use of a traveller's biometrics.
 */
export async function recordFaceCheck(ctx: WorkflowContext, requester: Requester, result: { faces: number; failed: readonly string[] }): Promise<void> {
  await ctx.audit({ event: 'face.check', outcome: 'success', recordIds: [`faces:${result.faces}`, ...result.failed.map((check) => `failed_check:${check}`)] }, requester);
}
