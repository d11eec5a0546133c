import type { MessageBus } from '../../infra/bus/message-bus.ts';
import { insertRanked, type Candidate } from '../../biometrics/matching/gallery-shard.ts';
import { toFingerPayload } from './fingerprint-payload.ts';
import { galleryChangedSubject, shardOfSubject, shardSubject, type GalleryChanged, type ShardedRepository, type ShardSearchReply, type ShardSearchRequest } from './gallery-shards.ts';
import type { GallerySearch, NodeGallery } from './node-gallery.ts';

/**
 * A repository's gallery split over matcher processes (`concord matcher --shard k/N`). A search
 * is sent to every shard at once and the ranked lists are merged as they come; a shard that has
 * not answered by the deadline (down, restarting, or dead mid-search) is counted missing and the
 * answer says it is incomplete. Nothing waits longer than the deadline for a shard.
 *
 * The templates themselves stay in the repository's database, the shards' source: a change
 * only names the subjects whose stored templates changed. It goes out as a durable event (a
 * shard that is down reads it when it returns) and straight to the owning shard, which reloads
 * the subject before the next search here is sent (a booking's new record is searchable at once).
 */
export class ShardedGallery implements NodeGallery {
  private readonly changed = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private scheduled = false;
  private fingers = 0;

  constructor(
    private readonly bus: MessageBus,
    private readonly repository: ShardedRepository,
    private readonly count: number,
    private readonly deadlineMs: number,
  ) {}

  add(subjectId: string): void {
    this.change(subjectId);
  }

  addEncoded(subjectId: string): void {
    this.change(subjectId);
  }

  remove(subjectId: string): void {
    this.change(subjectId);
  }

  get size(): number {
    return this.fingers;
  }

  async search(probe: Parameters<NodeGallery['search']>[0], options: { limit?: number; minScore?: number } = {}): Promise<GallerySearch> {
    if (this.changed.size > 0) this.flushing = this.flushing.then(() => this.flush());
    await this.flushing;
    const limit = options.limit ?? 10;
    const request: ShardSearchRequest = { fingers: probe.map((f) => toFingerPayload(f.position, f.template)), limit, minScore: options.minScore ?? 0 };
    const replies = await Promise.all(
      Array.from({ length: this.count }, (_, index) => this.ask<ShardSearchReply>(shardSubject(this.repository, { index, count: this.count }, 'search'), request)),
    );
    const answered = replies.filter((r): r is ShardSearchReply => r !== undefined);
    // Each shard counted its own subjects; together they are the subjects this search compared.
    const searched = answered.reduce((n, r) => n + r.subjects, 0);
    const merged: Candidate[] = [];
    for (const reply of answered) for (const candidate of reply.candidates) insertRanked(merged, { ...candidate, searched }, limit);
    if (answered.length === this.count) this.fingers = answered.reduce((n, r) => n + r.fingers, 0);
    return answered.length === this.count ? { candidates: merged } : { candidates: merged, incomplete: { answered: answered.length, shards: this.count } };
  }

  async close(): Promise<void> {
    await this.flushing;
  }

  private change(subjectId: string): void {
    this.changed.add(subjectId);
    if (this.scheduled) return;
    this.scheduled = true;
    // The changes of one booking or purge go out together, once the caller's loop is done.
    this.flushing = this.flushing
      .then(() => new Promise<void>((resolve) => queueMicrotask(resolve)))
      .then(() => {
        this.scheduled = false;
        return this.flush();
      });
  }

  private async flush(): Promise<void> {
    const subjects = [...this.changed];
    this.changed.clear();
    if (subjects.length === 0) return;
    try {
      await this.bus.publish(galleryChangedSubject(this.repository), { subjects } satisfies GalleryChanged);
    } catch {
      // Not yet durable (the bus is down): kept, and sent again before the next search.
      for (const subject of subjects) this.changed.add(subject);
      return;
    }
    const owners = new Map<number, string[]>();
    for (const subject of subjects) {
      const index = shardOfSubject(subject, this.count);
      owners.set(index, [...(owners.get(index) ?? []), subject]);
    }
    // A shard that misses this (down, slow) still has the durable event.
    await Promise.all([...owners].map(([index, owned]) => this.ask(shardSubject(this.repository, { index, count: this.count }, 'reload'), { subjects: owned } satisfies GalleryChanged)));
  }

  /** A shard's reply, or undefined when it gave none within the deadline (or failed). */
  private async ask<Reply>(subject: string, payload: unknown): Promise<Reply | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.deadlineMs);
    });
    try {
      return await Promise.race([this.bus.request<Reply>(subject, payload, this.deadlineMs).catch(() => undefined), deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}
