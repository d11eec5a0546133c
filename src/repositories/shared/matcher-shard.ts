import { FingerprintGallery } from '../../biometrics/matching/gallery.ts';
import type { Sql } from '../../infra/db/database.ts';
import type { MessageBus, Unsubscribe } from '../../infra/bus/message-bus.ts';
import { fromFingerPayload } from './fingerprint-payload.ts';
import { galleryChangedSubject, shardOfSubject, shardSubject, type GalleryChanged, type ShardedRepository, type ShardId, type ShardSearchReply, type ShardSearchRequest } from './gallery-shards.ts';
import { addSealedTemplates, reloadSubject } from './identification.ts';
import type { GalleryWriter } from './node-gallery.ts';
import type { TemplateSealer } from './template-sealer.ts';
import { decodeTemplate } from '../../biometrics/template-codec.ts';

/** The column that names a subject in each sharded repository's samples table. */
const OWNER: Record<ShardedRepository, 'fbi_number'> = { criminal: 'fbi_number' };
/** Subjects whose templates are read in one query while loading. */
const LOAD_BATCH = 2000;

/**
 * One shard of a repository's gallery in a process of its own: the subjects that hash to it,
 * loaded from the repository's database (templates opened and checked as the repository itself
 * does; one that fails its check is left out and reported), searched on request over the bus.
 * It serves only once loaded, so a shard still loading is a missing shard, never an empty one.
 */
export class MatcherShard {
  private readonly subscriptions: Unsubscribe[] = [];
  /** Finger templates held per subject. */
  private readonly held = new Map<string, number>();
  private readonly writer: GalleryWriter;
  /** A template held, searched once before serving: the first search of fresh worker threads is slow. */
  private warmUpProbe?: Uint8Array;

  private constructor(
    private readonly db: Sql,
    private readonly sealer: TemplateSealer,
    private readonly gallery: FingerprintGallery,
    readonly repository: ShardedRepository,
    readonly shard: ShardId,
    /** Stored templates refused on loading (their bindings): out of every search. */
    readonly refusedTemplates: string[],
  ) {
    const held = (subject: string) => this.held.set(subject, (this.held.get(subject) ?? 0) + 1);
    this.writer = {
      add: (subject, position, template) => {
        gallery.add(subject, position, template);
        held(subject);
      },
      addEncoded: (subject, position, encoded) => {
        gallery.addEncoded(subject, position, encoded);
        this.warmUpProbe ??= encoded;
        held(subject);
      },
      remove: (subject) => {
        gallery.remove(subject);
        this.held.delete(subject);
      },
    };
  }

  static async start(db: Sql, bus: MessageBus, sealer: TemplateSealer, options: { repository: ShardedRepository; shard: ShardId; workers: number }): Promise<MatcherShard> {
    const { repository, shard } = options;
    const matcher = new MatcherShard(db, sealer, new FingerprintGallery({ workers: options.workers }), repository, shard, []);
    try {
      await matcher.load();
    } catch (error) {
      await matcher.gallery.close(); // its worker threads would keep the process alive
      throw error;
    }
    if (matcher.warmUpProbe) await matcher.gallery.search([{ position: 0, template: decodeTemplate(matcher.warmUpProbe) }], { limit: 1 });
    // Changes made while loading wait in the durable stream and are applied from here on.
    matcher.subscriptions.push(
      await bus.consume(galleryChangedSubject(repository), `${repository}-shard-${shard.index}-of-${shard.count}`, (change: GalleryChanged) => matcher.reload(change.subjects)),
      await bus.respond(shardSubject(repository, shard, 'reload'), async (change: GalleryChanged) => {
        await matcher.reload(change.subjects);
        return { ok: true };
      }),
      await bus.respond(shardSubject(repository, shard, 'search'), (request: ShardSearchRequest) => matcher.search(request)),
    );
    return matcher;
  }

  get subjects(): number {
    return this.held.size;
  }

  get fingers(): number {
    return this.gallery.size;
  }

  async search(request: ShardSearchRequest): Promise<ShardSearchReply> {
    const candidates = await this.gallery.search(request.fingers.map(fromFingerPayload), { limit: request.limit, minScore: request.minScore });
    return { shard: this.shard.index, subjects: this.held.size, fingers: this.gallery.size, candidates };
  }

  /** Gives the shard its subjects' stored templates anew; subjects of other shards are not its business. */
  async reload(subjects: readonly string[]): Promise<void> {
    for (const subject of subjects) {
      if (shardOfSubject(subject, this.shard.count) !== this.shard.index) continue;
      await reloadSubject(this.db, this.writer, this.sealer, OWNER[this.repository], subject, this.refusedTemplates);
    }
  }

  async close(): Promise<void> {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    await this.gallery.close();
  }

  private async load(): Promise<void> {
    const owner = OWNER[this.repository];
    const everyone = await this.db.query<{ subject: string }>(`SELECT DISTINCT ${owner} AS subject FROM samples`);
    const mine = everyone.map((r) => r.subject).filter((subject) => shardOfSubject(subject, this.shard.count) === this.shard.index);
    for (let at = 0; at < mine.length; at += LOAD_BATCH) {
      const rows = await this.db.query<{ subject: string; position: number; template: Uint8Array }>(`SELECT ${owner} AS subject, position, template FROM samples WHERE ${owner} = ANY($1)`, [
        mine.slice(at, at + LOAD_BATCH),
      ]);
      this.refusedTemplates.push(...addSealedTemplates(this.writer, 'samples.template', rows, this.sealer));
    }
    await this.gallery.settled(); // every row indexed and the index merged before the shard answers
  }
}
