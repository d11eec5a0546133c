import { isConcordError } from '../shared/errors.ts';
import type { FingerprintTemplate, Minutia } from '../biometrics/template.ts';
import { decodeTemplate } from '../biometrics/template-codec.ts';
import { explainComparison } from '../biometrics/matching/compare-templates.ts';
import { prepareTemplate } from '../biometrics/matching/prepared-template.ts';
import { fmrForScore } from '../biometrics/matching/calibration.ts';
import type { StoredSample } from '../repositories/shared/stored-sample.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext } from './workflow-context.ts';

export interface CandidateComparison {
  score: number;
  fmr: number;
  /** Paired minutiae: [index in the probe's minutiae, index in the candidate's]. */
  pairs: [number, number][];
  /** The stored print, for a grant that shows it (full, or match images); absent for match results only. */
  candidate?: { width: number; height: number; minutiae: Minutia[]; wsq: string | null };
}

/**
 * The examiner's side-by-side: a probe finger against a subject's stored finger of the same
 * position — score, false-match rate, the paired minutiae and the stored WSQ image. Disclosing
 * a fingerprint image is audited like any other disclosure.
 */
export async function compare(ctx: WorkflowContext, requester: Requester, request: { probe: FingerprintTemplate; subject: string; position: number; purpose?: string }): Promise<CandidateComparison> {
  const recordIds = [request.subject];
  const purpose = await ctx.requirePurpose(requester, request.purpose, 'compare.refused', request.subject);
  await ctx.authorize(requester, 'identify', purpose);
  // Refused before the subject is looked up: no grant, the same answer for every identifier (domain brief §6.1: local agencies get no biometrics).
  const grant = await ctx.requireGrant(requester, purpose, { event: 'compare.refused', recordIds }, (g) => g.biometrics !== 'none', 'no stored prints');
  const repository = request.subject.startsWith('FIN') ? 'immigration' : 'criminal';
  const sample = await ctx.bus.request<StoredSample>(`${repository}.sample`, { id: request.subject, position: request.position }).catch(async (error: unknown) => {
    if (isConcordError(error, 'SUBJECT_NOT_FOUND')) throw await ctx.refused(requester, { event: 'compare.not_found', purpose, recordIds }, error);
    throw error;
  });
  const candidate = decodeTemplate(Buffer.from(sample.template, 'base64'));
  const { score, pairs } = explainComparison(prepareTemplate(request.probe), prepareTemplate(candidate));
  // Match results only (ICE): the score, nothing of the stored print.
  const showPrint = grant.biometrics === 'full' || grant.biometrics === 'match_images';
  const fieldClasses = !showPrint ? ['match_score'] : sample.image ? ['fingerprint_image'] : ['fingerprint_template'];
  await ctx.audit({ event: 'compare.disclose', outcome: 'success', purpose, recordIds, fieldClasses }, requester);
  const result = { score, fmr: fmrForScore(score), pairs: showPrint ? pairs : [] };
  return showPrint ? { ...result, candidate: { width: candidate.width, height: candidate.height, minutiae: [...candidate.minutiae], wsq: sample.image } } : result;
}
