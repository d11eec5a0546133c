import { createHash } from 'node:crypto';
import type { Database, Sql } from '../infra/db/database.ts';

/**
 * The append-only, hash-chained audit trail. Each record's hash covers its content and the
 * previous record's hash, so editing, deleting or reordering any record breaks every hash after
 * it. Records are written inside the transaction of the action they record.
 */
export interface AuditEvent {
  component: string;
  event: string;
  userId?: string;
  ori?: string;
  purpose?: string;
  tcn?: string;
  outcome: 'success' | 'refused' | 'failure';
  recordIds?: string[];
  fieldClasses?: string[];
  client?: string;
}

interface AuditRow {
  seq: number;
  at: string;
  component: string;
  event: string;
  user_id: string | null;
  ori: string | null;
  purpose: string | null;
  tcn: string | null;
  outcome: string;
  record_ids: string[];
  field_classes: string[];
  client: string | null;
  prev_hash: string;
  hash: string;
}

function hashOf(previous: string, row: Omit<AuditRow, 'prev_hash' | 'hash'>): string {
  const content = JSON.stringify([
    row.seq, row.at, row.component, row.event, row.user_id, row.ori, row.purpose, row.tcn,
    row.outcome, row.record_ids, row.field_classes, row.client,
  ]);
  return createHash('sha256').update(previous).update('\n').update(content).digest('hex');
}

/** Rows per INSERT: 14 parameters each keeps a statement well under PostgreSQL's 65,535. */
const INSERT_ROWS = 1000;

const COLUMNS = 'seq, at, component, event, user_id, ori, purpose, tcn, outcome, record_ids, field_classes, client, prev_hash, hash';
const COLUMN_COUNT = 14;

export interface ChainHead {
  seq: number;
  hash: string;
}

/** How far behind the chain the head witness may fall: it is moved at most this often. */
const WITNESS_DELAY_MS = 50;

/**
 * Appends to the chain of one database. A record's sequence number is its predecessor's plus
 * one and unique, so the chain cannot fork: of two records chained to the same predecessor only
 * one goes in, and the other's writer reads the head and chains again.
 *
 * Events appended on their own (no transaction) are written in arrival order, those that
 * arrive while a write is under way together in the next one (group commit): each write is one
 * INSERT, committed when it returns, so the writer remembers that head and needs no read before
 * the next. Inside a transaction, which may yet roll back, an event is chained to the head read
 * there and the writer remembers nothing.
 *
 * The witness row `audit_head` records the last record, so that records cut from the end of the
 * chain are detected. It is moved shortly after appends (within WITNESS_DELAY_MS, and by
 * `close`), not by each one: that keeps an audit record to one statement.
 */
export class AuditWriter {
  private head: ChainHead | undefined;
  private readonly waiting: { event: AuditEvent; at: Date; written: (seq: number) => void; failed: (error: unknown) => void }[] = [];
  private writing = false;
  private witnessTimer: NodeJS.Timeout | undefined;
  private witnessMove: Promise<void> | undefined;

  constructor(private readonly db: Database) {}

  /** Appends one event, in `tx` if given, else on its own; returns its sequence number once it is committed (or, in `tx`, written). */
  async append(event: AuditEvent, at = new Date(), tx?: Sql): Promise<number> {
    if (tx) {
      const appended = await appendWithRetry(tx, undefined, [{ event, at }]);
      this.scheduleWitness();
      return appended.seq;
    }
    return new Promise((written, failed) => {
      this.waiting.push({ event, at, written, failed });
      if (!this.writing) void this.writeWaiting();
    });
  }

  /**
   * Appends events in order, all or none, chaining each to the one before; returns the last one's
   * sequence number (the head's for none). Other writers wait until the batch's transaction ends.
   */
  async appendBatch(events: readonly { event: AuditEvent; at?: Date }[], tx?: Sql): Promise<number> {
    if (!tx) return this.db.transaction((own) => this.appendBatch(events, own));
    await tx.query('LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE');
    let head = await readHead(tx);
    for (let start = 0; start < events.length; start += INSERT_ROWS) {
      const chunk = events.slice(start, start + INSERT_ROWS);
      const appended = await insertChained(tx, head, chunk);
      if (!appended) throw new Error(`audit records after ${head.seq} appeared while the audit log was locked`);
      head = appended;
    }
    this.scheduleWitness();
    return head.seq;
  }

  /** Moves the witness to the last record now and stops the timer; call before closing the database. */
  async close(): Promise<void> {
    clearTimeout(this.witnessTimer);
    this.witnessTimer = undefined;
    await this.witnessMove;
    await moveWitness(this.db);
  }

  /** Writes whatever is waiting, a group at a time, until nothing is. */
  private async writeWaiting(): Promise<void> {
    this.writing = true;
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, INSERT_ROWS);
      try {
        this.head = await appendWithRetry(this.db, this.head, group);
        const first = this.head.seq - group.length + 1;
        group.forEach((entry, k) => entry.written(first + k));
      } catch (error) {
        // Nothing of the group was written (one statement): each caller learns it.
        for (const entry of group) entry.failed(error);
      }
    }
    this.writing = false;
    this.scheduleWitness();
  }

  private scheduleWitness(): void {
    if (this.witnessTimer) return;
    this.witnessTimer = setTimeout(() => {
      this.witnessTimer = undefined;
      // A failed move is made good by the next one; appends themselves fail loudly.
      this.witnessMove = moveWitness(this.db).catch(() => undefined);
    }, WITNESS_DELAY_MS);
    this.witnessTimer.unref();
  }
}

/** Appends attempted before giving up: each failure means another writer got in first. */
const MAX_ATTEMPTS = 100;

/** Chains the events after `head` (read first if unknown), and again after the head read anew while another writer got in first. */
async function appendWithRetry(sql: Sql, head: ChainHead | undefined, events: readonly { event: AuditEvent; at?: Date }[]): Promise<ChainHead> {
  let appended = head && (await insertChained(sql, head, events));
  // Each miss means another writer appended meanwhile: the bound is only there to fail loudly on a fault.
  for (let attempt = 0; !appended; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`the audit chain head kept moving: ${MAX_ATTEMPTS} attempts to append failed`);
    appended = await insertChained(sql, await readHead(sql), events);
  }
  return appended;
}

/** PostgreSQL's code for a unique violation: here, a sequence number another record holds. */
const UNIQUE_VIOLATION = '23505';

/**
 * Writes the events after `head` in one statement; returns the new head, or undefined if another
 * record already holds one of their sequence numbers (after waiting for that record's
 * transaction). One event is skipped on a collision, which leaves an enclosing transaction
 * usable; several make the statement fail whole, so they must not be written in a transaction
 * unless, as for a batch, the table is locked against other writers.
 */
async function insertChained(sql: Sql, head: ChainHead, events: readonly { event: AuditEvent; at?: Date }[]): Promise<ChainHead | undefined> {
  const values: unknown[] = [];
  const tuples: string[] = [];
  let { seq, hash: previous } = head;
  for (const { event, at } of events) {
    seq++;
    const row = {
      seq,
      at: (at ?? new Date()).toISOString(),
      component: event.component,
      event: event.event,
      user_id: event.userId ?? null,
      ori: event.ori ?? null,
      purpose: event.purpose ?? null,
      tcn: event.tcn ?? null,
      outcome: event.outcome,
      record_ids: event.recordIds ?? [],
      field_classes: event.fieldClasses ?? [],
      client: event.client ?? null,
    };
    const hash = hashOf(previous, row);
    const first = values.length;
    values.push(row.seq, row.at, row.component, row.event, row.user_id, row.ori, row.purpose, row.tcn, row.outcome, JSON.stringify(row.record_ids), JSON.stringify(row.field_classes), row.client, previous, hash);
    tuples.push(`(${Array.from({ length: COLUMN_COUNT }, (_, k) => `$${first + k + 1}`).join(', ')})`);
    previous = hash;
  }
  const insert = `INSERT INTO audit_log (${COLUMNS}) VALUES ${tuples.join(', ')}`;
  if (events.length === 1) {
    if ((await sql.execute(`${insert} ON CONFLICT (seq) DO NOTHING`, values)) === 0) return undefined;
  } else {
    try {
      await sql.execute(insert, values);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }
  return { seq, hash: previous };
}

/** The last record as this statement sees it: committed ones, and the transaction's own. */
async function readHead(sql: Sql): Promise<ChainHead> {
  const [row] = await sql.query<ChainHead>(
    `(SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) UNION ALL (SELECT seq, hash FROM audit_checkpoint WHERE id = 1) ORDER BY seq DESC LIMIT 1`,
  );
  return { seq: Number(row.seq), hash: row.hash };
}

/** Points the witness at the last committed record; it only ever moves forward. */
async function moveWitness(db: Sql): Promise<void> {
  await db.execute(
    `UPDATE audit_head SET seq = last.seq, hash = last.hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last WHERE audit_head.id = 1 AND audit_head.seq < last.seq`,
  );
}

export type ChainVerdict = { ok: true; records: number; head: ChainHead } | { ok: false; records: number; firstBroken: number; reason: string };

export interface VerifyOptions {
  /** Records per read. */
  pageSize?: number;
  /**
   * Heads reported by earlier verifications and kept outside the database: each must still be
   * in the chain, unchanged, which catches records cut from the end even by someone who could
   * also move the witness.
   */
  anchors?: readonly ChainHead[];
}

/**
 * Walks the whole chain in order, in pages, recomputing every hash, up to the last record there
 * is when it starts (records appended meanwhile are left for the next run). The witness, and
 * any anchors, must be records walked and unchanged: if the chain ends before one, records were
 * cut from the end.
 */
export async function verifyAuditChain(db: Sql, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 5000;
  // Records purged under the retention rules end at the checkpoint; the chain goes on from it.
  const [checkpoint] = await db.query<ChainHead>('SELECT seq, hash FROM audit_checkpoint WHERE id = 1');
  const [witness] = await db.query<ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1');
  const [{ last }] = await db.query<{ last: number | null }>('SELECT max(seq) AS last FROM audit_log');
  const known = new Map<number, string>([...(options.anchors ?? []), witness].map((head) => [Number(head.seq), head.hash]));
  const lastSeq = Math.max(Number(last ?? 0), ...known.keys());
  let previous = checkpoint.hash;
  let expectedSeq = Number(checkpoint.seq) + 1;
  while (expectedSeq <= lastSeq) {
    // A page is a range of sequence numbers, not a LIMIT: whatever plan the database picks, it
    // reads one page of rows (a LIMIT over "all after" can make it sort the rest of the log).
    const pageEnd = Math.min(lastSeq, expectedSeq + pageSize - 1);
    const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1::bigint AND seq <= $2::bigint ORDER BY seq', [expectedSeq, pageEnd]);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, records: expectedSeq - 1, firstBroken: expectedSeq, reason: `record ${expectedSeq} is missing` };
      if (row.prev_hash !== previous) return { ok: false, records: seq - 1, firstBroken: seq, reason: `record ${seq} does not follow record ${seq - 1}` };
      const { prev_hash: _p, hash: _h, ...content } = row;
      if (hashOf(previous, { ...content, seq }) !== row.hash) return { ok: false, records: seq - 1, firstBroken: seq, reason: `record ${seq} was altered` };
      // The chain was rebuilt from here on: this is not the record a head recorded.
      if ((known.get(seq) ?? row.hash) !== row.hash) return { ok: false, records: seq - 1, firstBroken: seq, reason: `record ${seq} is not the one its recorded head names` };
      previous = row.hash;
      expectedSeq++;
    }
    if (expectedSeq <= pageEnd) {
      // The page ends early: a gap if later records exist, else the end (up to a head) was cut.
      const reason = Number(last) > expectedSeq ? `record ${expectedSeq} is missing` : `records after ${expectedSeq - 1} were deleted`;
      return { ok: false, records: expectedSeq - 1, firstBroken: expectedSeq, reason };
    }
  }
  return { ok: true, records: expectedSeq - 1 - Number(checkpoint.seq), head: { seq: expectedSeq - 1, hash: previous } };
}

/**
 * Deletes the audit records written before `before` (their retention has passed) and moves the
 * checkpoint to the last of them, so the remaining chain still verifies. Returns how many went.
 */
export async function purgeAuditBefore(tx: Sql, before: Date): Promise<number> {
  const [last] = await tx.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_log WHERE at < $1 ORDER BY seq DESC LIMIT 1', [before.toISOString()]);
  if (!last) return 0;
  const deleted = await tx.query('DELETE FROM audit_log WHERE seq <= $1 RETURNING seq', [last.seq]);
  await tx.query('UPDATE audit_checkpoint SET seq = $1, hash = $2 WHERE id = 1', [last.seq, last.hash]);
  return deleted.length;
}

export interface AuditFilter {
  /** A record identifier the event touched: an FBI number, a FIN, a warrant. */
  subject?: string;
  user?: string;
  ori?: string;
  /** ISO timestamps, inclusive. */
  from?: string;
  to?: string;
  /** Only disclosures: events that released at least one class of fields. */
  disclosuresOnly?: boolean;
  limit?: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  event: string;
  outcome: string;
  userId?: string;
  ori?: string;
  purpose?: string;
  tcn?: string;
  recordIds: string[];
  fieldClasses: string[];
}

const MAX_SEARCH_ROWS = 500;

/**
 * The audit trail searched by subject, user, agency and period, newest first: with
 * `disclosuresOnly` it answers "who received this subject's data, when, and why (purpose)".
 */
export async function searchAudit(db: Sql, filter: AuditFilter): Promise<AuditEntry[]> {
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (placeholder: string) => string, value: unknown) => {
    values.push(value);
    where.push(clause(`$${values.length}`));
  };
  if (filter.subject) add((p) => `record_ids @> ${p}::jsonb`, JSON.stringify([filter.subject]));
  if (filter.user) add((p) => `user_id = ${p}`, filter.user);
  if (filter.ori) add((p) => `ori = ${p}`, filter.ori);
  if (filter.from) add((p) => `at >= ${p}`, filter.from);
  if (filter.to) add((p) => `at <= ${p}`, filter.to);
  if (filter.disclosuresOnly) where.push(`outcome = 'success' AND jsonb_array_length(field_classes) > 0`);
  values.push(Math.min(Math.max(1, filter.limit ?? 100), MAX_SEARCH_ROWS));
  const rows = await db.query<AuditRow>(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT $${values.length}`,
    values,
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: row.at,
    event: row.event,
    outcome: row.outcome,
    userId: row.user_id ?? undefined,
    ori: row.ori ?? undefined,
    purpose: row.purpose ?? undefined,
    tcn: row.tcn ?? undefined,
    recordIds: row.record_ids,
    fieldClasses: row.field_classes,
  }));
}
