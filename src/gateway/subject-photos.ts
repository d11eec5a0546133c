import { ConcordError } from '../shared/errors.ts';
import type { Requester } from './access.ts';
import { opensImmigration, releasesBookingPhoto, type Grant } from './dissemination-policy.ts';
import { completeByLinks } from './identity-links.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** A traveller's latest port photo, for a requester whose grant includes full immigration data for this purpose. */
export function photo(ctx: WorkflowContext, requester: Requester, id: string, requested: string | undefined): Promise<Uint8Array> {
  return release(ctx, requester, id, requested, {
    allows: (grant) => grant.immigration === 'full',
    what: 'no photo',
    fieldClass: 'photo',
    owner: async (db) => (id.startsWith('FIN') ? id : (await completeByLinks(db, { fbiNumber: id })).fin),
    subject: 'immigration.photo',
    request: (fin) => ({ fin }),
  });
}

/** A subject's latest booking photo (the face of a CAR or CNA), by FBI number or a linked FIN, where the grant releases booking photos. */
export function bookingPhoto(ctx: WorkflowContext, requester: Requester, id: string, requested: string | undefined): Promise<Uint8Array> {
  return release(ctx, requester, id, requested, {
    // A FIN is immigration data: asked by FIN, the grant must open immigration too, as a history's would.
    allows: (grant) => releasesBookingPhoto(grant) && (!id.startsWith('FIN') || opensImmigration(grant)),
    fieldClass: 'booking_photo',
    what: 'no booking photo',
    owner: async (db) => (id.startsWith('FIN') ? (await completeByLinks(db, { fin: id })).fbiNumber : id),
    subject: 'criminal.photo',
    request: (fbiNumber) => ({ fbiNumber }),
  });
}

interface PhotoSource {
  allows: (grant: Grant) => boolean;
  what: string;
  /** The audit's class for the photo released: a port photo or a booking photo. */
  fieldClass: string;
  /** The repository's own identifier for the id asked for (through the identity links), if any. */
  owner: (db: WorkflowContext['db']) => Promise<string | undefined>;
  subject: string;
  request: (owner: string) => object;
}

/** The grant asked first, before any link is looked up (the same answer for every identifier); the disclosure audited before the photo leaves. */
async function release(ctx: WorkflowContext, requester: Requester, id: string, requested: string | undefined, source: PhotoSource): Promise<Uint8Array> {
  const purpose = await ctx.requirePurpose(requester, requested, 'photo.refused', id);
  await ctx.authorize(requester, 'history', purpose);
  await ctx.requireGrant(requester, purpose, { event: 'photo.refused', recordIds: [id] }, source.allows, source.what);
  const notFound = async () => { throw await ctx.refused(requester, { event: 'photo.not_found', purpose, recordIds: [id] }, new ConcordError('SUBJECT_NOT_FOUND', `${source.what} is known for ${id}`, { id })); };
  const owner = await source.owner(ctx.db);
  if (!owner) return notFound();
  const { image } = await ctx.bus.request<{ image: string | null }>(source.subject, source.request(owner));
  if (!image) return notFound();
  await ctx.audit({ event: 'photo.disclose', outcome: 'success', purpose, recordIds: [owner], fieldClasses: [source.fieldClass] }, requester);
  return Buffer.from(image, 'base64');
}
