import { ConcordError } from '../../shared/errors.ts';
import type { Candidate } from '../../biometrics/matching/gallery.ts';
import type { FingerPayload } from './fingerprint-payload.ts';

/**
 * How a repository's gallery is split over matcher processes: by subject, so that all fingers of
 * one person are in one shard and fusion needs no partial scores from elsewhere. Pure: the
 * process (matcher-shard.ts) and the repository's side (sharded-gallery.ts) share it.
 */
export type ShardedRepository = 'criminal';

export interface ShardId {
  index: number;
  count: number;
}

/**
 * The shard that owns a subject. A hash of its id, mixed apart from the FNV-1a that spreads a
 * gallery over worker threads: with the same hash, every subject of shard 0 of 2 would land in
 * worker 0 of 2 and the other worker would sit idle.
 */
export function shardOfSubject(subjectId: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subjectId.length; i++) hash = Math.imul(hash ^ subjectId.charCodeAt(i), 0x01000193);
  // MurmurHash3's finaliser: every input bit moves every output bit.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % count;
}

/** "k/N" as given on the command line: shard k (from 0) of N. */
export function parseShardId(text: string): ShardId {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) {
    throw new ConcordError('BAD_ARGUMENT', `a shard is given as k/N with 0 <= k < N (e.g. 0/2), not "${text}"`, { shard: text });
  }
  return { index, count };
}

/**
 * Bus subjects of one shard. The shard count is part of the name: a process started for another
 * split (during a rebalance) answers none of these, so it is counted missing rather than
 * searched as if it held this split's subjects.
 */
export function shardSubject(repository: ShardedRepository, shard: ShardId, verb: 'search' | 'reload'): string {
  return `${repository}.gallery.${shard.count}.${shard.index}.${verb}`;
}

/** The durable event that tells every shard which subjects' stored templates changed. */
export function galleryChangedSubject(repository: ShardedRepository): string {
  return `${repository}.gallery.changed`;
}

export interface ShardSearchRequest {
  fingers: FingerPayload[];
  limit: number;
  minScore: number;
}

export interface ShardSearchReply {
  shard: number;
  /** Subjects and finger templates the shard holds: each subject was a chance of a false match. */
  subjects: number;
  fingers: number;
  candidates: Candidate[];
}

export interface GalleryChanged {
  subjects: string[];
}
