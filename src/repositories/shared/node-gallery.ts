import type { FingerprintGallery, Candidate } from '../../biometrics/matching/gallery.ts';
import type { FingerprintTemplate } from '../../biometrics/template.ts';

/** Shards of a gallery that answered a search, out of all of them. */
export interface ShardCount {
  answered: number;
  shards: number;
}

/**
 * What a repository's 1:N search found. `incomplete` is set when some shards of a sharded
 * gallery did not answer in time: the candidates then come from part of the gallery only, so an
 * empty list proves nothing.
 */
export interface GallerySearch {
  candidates: Candidate[];
  incomplete?: ShardCount;
}

/** What keeps a gallery in step with the stored templates. */
export interface GalleryWriter {
  /** A template made now (a booking's, an enrollment's). */
  add(subjectId: string, position: number, template: FingerprintTemplate): void;
  /** A stored template, opened but still encoded: checked (TEMPLATE_* when it fails) and held as it is, never decoded. */
  addEncoded(subjectId: string, position: number, encoded: Uint8Array): void;
  remove(subjectId: string): void;
}

/**
 * A repository's search gallery: in its own process (FingerprintGallery over worker threads) or
 * split over matcher processes (ShardedGallery). Changes are searchable from the next search on.
 */
export interface NodeGallery extends GalleryWriter {
  search(probe: { position: number; template: FingerprintTemplate }[], options?: { limit?: number; minScore?: number }): Promise<GallerySearch>;
  /** Finger templates held (a sharded gallery: as its shards last reported). */
  readonly size: number;
  close(): Promise<void>;
}

/** The gallery of the repository's own process: every search is complete. */
export function inProcessGallery(gallery: FingerprintGallery): NodeGallery {
  return {
    add: (subjectId, position, template) => gallery.add(subjectId, position, template),
    addEncoded: (subjectId, position, encoded) => gallery.addEncoded(subjectId, position, encoded),
    remove: (subjectId) => gallery.remove(subjectId),
    search: async (probe, options) => ({ candidates: await gallery.search(probe, options) }),
    get size() {
      return gallery.size;
    },
    close: () => gallery.close(),
  };
}

/** The words an officer reads, and the audit record's marker, for a search some shards did not answer. */
export function incompleteSearch(count: ShardCount): { message: string; marker: string } {
  return { message: `search incomplete: ${count.answered} of ${count.shards} shards answered`, marker: `search-incomplete:${count.answered}/${count.shards}` };
}

/** Seconds a requester refused on an incomplete search is asked to wait: about a shard's restart. */
export const SEARCH_RETRY_AFTER_SECONDS = 30;
