import { ConcordError } from '../shared/errors.ts';
import type { Requester } from './access.ts';
import { completeByLinks } from './identity-links.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * A traveller's face photo, for a requester whose grant includes full immigration data for
 * this purpose; the disclosure is audited before the photo leaves.
 */
export async function photo(ctx: WorkflowContext, requester: Requester, id: string, requested: string | undefined): Promise<Uint8Array> {
  const purpose = await ctx.requirePurpose(requester, requested, 'photo.refused', id);
  await ctx.authorize(requester, 'history', purpose);
  // The grant first: asked before any link is looked up, it gives the same answer for every identifier.
  await ctx.requireGrant(requester, purpose, { event: 'photo.refused', recordIds: [id] }, (grant) => grant.immigration === 'full', 'no photo');
  const fin = id.startsWith('FIN') ? id : (await completeByLinks(ctx.db, { fbiNumber: id })).fin;
  const notFound = async () => { throw await ctx.refused(requester, { event: 'photo.not_found', purpose, recordIds: [id] }, new ConcordError('SUBJECT_NOT_FOUND', `no photo is known for ${id}`, { id })); };
  if (!fin) return notFound();
  const { image } = await ctx.bus.request<{ image: string | null }>('immigration.photo', { fin });
  if (!image) return notFound();
  await ctx.audit({ event: 'photo.disclose', outcome: 'success', purpose, recordIds: [fin], fieldClasses: ['photo'] }, requester);
  return Buffer.from(image, 'base64');
}
