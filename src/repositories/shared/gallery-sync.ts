import type { Database } from '../../infra/db/database.ts';

/**
 * Keeps the in-memory galleries of every replica of a repository in step with its database.
 * Triggers on the tables galleries are made from write each changed subject to `gallery_changes`
 * in the same transaction, and NOTIFY on commit; each replica reloads the subjects changed since
 * it last looked, when notified and every `pollMs` besides (a lost notification costs at most
 * that). Sequence numbers of transactions that commit out of order leave a hole for a moment; the
 * position advances only past holes filled, or past one left by a rolled-back transaction once
 * it is `holeMs` old.
 */
export const GALLERY_CHANNEL = 'concord_gallery';

/** The change log and its trigger function, for a repository's migration (the function on one line: migrations are split at semicolons ending a line). */
export const GALLERY_CHANGE_LOG = `CREATE TABLE gallery_changes (seq BIGSERIAL PRIMARY KEY, gallery TEXT NOT NULL, subject TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now());
   CREATE FUNCTION note_gallery_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF TG_OP <> 'DELETE' THEN INSERT INTO gallery_changes (gallery, subject) VALUES (TG_ARGV[0], to_jsonb(NEW) ->> TG_ARGV[1]); END IF; IF TG_OP <> 'INSERT' THEN INSERT INTO gallery_changes (gallery, subject) VALUES (TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[1]); END IF; PERFORM pg_notify('${GALLERY_CHANNEL}', current_schema()); RETURN NULL; END $$`;

/** Reloads one subject of one gallery from the database. */
export type SubjectReloader = (subject: string) => Promise<void>;

const BATCH = 5000;
const PRUNE_EVERY_MS = 10 * 60_000;

export class GallerySync {
  private position = 0;
  /** Changes past `position` already applied (the position waits at a hole before them). */
  private readonly ahead = new Set<number>();
  private holeSince?: number;
  private running?: Promise<void>;
  private again = false;
  private timer?: ReturnType<typeof setInterval>;
  private unlisten?: () => Promise<void>;
  private closed = false;
  private prunedAt = Date.now();

  private constructor(
    private readonly db: Database,
    private readonly galleries: Readonly<Record<string, SubjectReloader>>,
    private readonly holeMs: number,
  ) {}

  /** Where the change log ends now: read before loading the galleries, so nothing after it is missed. */
  static async logEnd(db: Database): Promise<number> {
    const [row] = await db.query<{ seq: number | null }>('SELECT max(seq) AS seq FROM gallery_changes');
    return Number(row?.seq ?? 0);
  }

  static async start(db: Database, since: number, galleries: Readonly<Record<string, SubjectReloader>>, options: { pollMs?: number; holeMs?: number } = {}): Promise<GallerySync> {
    const sync = new GallerySync(db, galleries, options.holeMs ?? 10_000);
    sync.position = since;
    const [{ schema }] = await db.query<{ schema: string }>('SELECT current_schema() AS schema');
    sync.unlisten = await db.listen(GALLERY_CHANNEL, (payload) => {
      if (payload === schema) sync.catchUp();
    });
    sync.timer = setInterval(() => sync.catchUp(), options.pollMs ?? 500);
    sync.timer.unref();
    sync.catchUp();
    return sync;
  }

  /** Applies what changed since the last look; resolves when the galleries hold it. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.applyChanges().catch(() => undefined); // the next poll tries again (a lost connection)
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.unlisten?.();
    await this.running;
  }

  private async applyChanges(): Promise<void> {
    const rows = await this.db.query<{ seq: number; gallery: string; subject: string }>('SELECT seq, gallery, subject FROM gallery_changes WHERE seq > $1 ORDER BY seq LIMIT $2', [this.position, BATCH]);
    const fresh = rows.filter((row) => !this.ahead.has(Number(row.seq)));
    // A subject changed several times is reloaded once: the database has its latest state.
    const subjects = new Map<string, { gallery: string; subject: string }>();
    for (const row of fresh) subjects.set(`${row.gallery}\u0000${row.subject}`, row);
    for (const { gallery, subject } of subjects.values()) await this.galleries[gallery]?.(subject);
    for (const row of fresh) this.ahead.add(Number(row.seq));
    this.advance();
    if (rows.length === BATCH) this.again = true;
    if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
      this.prunedAt = Date.now();
      await GallerySync.prune(this.db);
    }
  }

  /** Forgets changes over an hour old: a replica away longer loads its galleries whole when it starts. */
  static async prune(db: Database): Promise<void> {
    await db.execute(`DELETE FROM gallery_changes WHERE at < now() - interval '1 hour'`);
  }

  private advance(): void {
    while (this.ahead.has(this.position + 1)) this.ahead.delete(++this.position);
    if (this.ahead.size === 0) {
      this.holeSince = undefined;
      return;
    }
    // A hole before changes already applied: a transaction still committing, or one rolled back.
    this.holeSince ??= Date.now();
    if (Date.now() - this.holeSince >= this.holeMs) {
      this.position = Math.min(...this.ahead);
      this.ahead.delete(this.position);
      this.holeSince = undefined;
      this.advance();
    }
  }
}
