import { FACE_LEAD_NOTICE, type FaceCandidate } from '../biometrics/face/face-gallery.ts';
import { POLICY_VERSION, type Grant, type PurposeCode } from './dissemination-policy.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** A 1:N face search's answer: leads, never an identification, and the notice that says so. */
export interface FaceSearchAnswer {
  identification: false;
  notice: string;
  candidates: FaceCandidate[];
  policyVersion: string;
}

/** Face leads beside a rapid identification's answer: only where the prints were amber and the grant allows face searches. */
export function faceLeadsWanted(color: 'red' | 'amber' | 'green', grant: Pick<Grant, 'faces'>, hasFace: boolean): boolean {
  return hasFace && color === 'amber' && grant.faces === 'search_leads';
}

/** Leads from the immigration repository's violators for a face template, with the notice that they are leads. */
export async function faceLeads(ctx: WorkflowContext, template: string): Promise<{ identification: false; notice: string; candidates: FaceCandidate[] }> {
  const { candidates } = await ctx.bus.request<{ candidates: FaceCandidate[] }>('immigration.face_search', { template });
  return { identification: false, notice: FACE_LEAD_NOTICE, candidates };
}

/**
 * 1:N face search with a photo (a second modality when prints are amber or absent, or an
 * investigator's only evidence): only under a grant that allows face searches (criminal-justice
 * purposes), among immigration violators only. Candidates are FINs and distances for an examiner
 * to review; the audit records them as leads (`face_lead`), not as identified subjects.
 */
export async function searchFaces(ctx: WorkflowContext, requester: Requester, request: { purpose: string | undefined; template: string; tcn?: string }): Promise<FaceSearchAnswer> {
  const purpose = await checkFaceSearchGrant(ctx, requester, request.purpose, request.tcn);
  const { candidates } = await faceLeads(ctx, request.template);
  await ctx.audit({ event: 'face_search.leads', outcome: 'success', purpose, tcn: request.tcn, recordIds: candidates.map((c) => `lead:${c.subject}`), fieldClasses: ['face_lead'] }, requester);
  return { identification: false, notice: FACE_LEAD_NOTICE, candidates, policyVersion: POLICY_VERSION };
}

/** The purpose, the role and the grant of a face search, each refusal audited: asked before the photo is even analysed. */
export async function checkFaceSearchGrant(ctx: WorkflowContext, requester: Requester, requested: string | undefined, tcn?: string): Promise<PurposeCode> {
  const purpose = await ctx.requirePurpose(requester, requested, 'face_search.refused', tcn ?? 'face');
  await ctx.authorize(requester, 'identify', purpose);
  await ctx.requireGrant(requester, purpose, { event: 'face_search.refused', tcn }, (grant) => grant.faces === 'search_leads', 'no face search');
  return purpose;
}
