import { createHash } from 'node:crypto';
import type { Sql } from '../infra/db/database.ts';

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
const COLUMN_TYPES = ['bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text', 'text', 'text'];

interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Appends to the chain, one writer per database. It remembers the head it last wrote, so an
 * append is one statement: the rows go in only if the head is still the one they were chained
 * to, and the head moves with them. Another writer (or a rolled-back transaction) having moved
 * the head makes that statement write nothing; the writer then reads the head and chains again.
 * The chain can never fork. A batch of more than INSERT_ROWS events is several statements: give
 * it a transaction if it must be all or nothing.
 */
export class AuditWriter {
  private head: ChainHead | undefined;

  async append(sql: Sql, event: AuditEvent, at = new Date()): Promise<number> {
    return this.appendBatch(sql, [{ event, at }]);
  }

  /** Appends events in order, chaining each to the one before; returns the last one's sequence number (the head's for none). */
  async appendBatch(sql: Sql, events: readonly { event: AuditEvent; at?: Date }[]): Promise<number> {
    if (events.length === 0) return (await readHead(sql)).seq;
    let last = 0;
    for (let start = 0; start < events.length; start += INSERT_ROWS) {
      const chunk = events.slice(start, start + INSERT_ROWS);
      let appended = this.head && (await this.tryAppend(sql, this.head, chunk));
      // The remembered head is missing or stale: read it and chain again. Each miss means another
      // writer appended meanwhile, so the attempts are bounded only to fail loudly on a fault.
      for (let attempt = 0; !appended; attempt++) {
        if (attempt === MAX_ATTEMPTS) throw new Error(`the audit chain head kept moving: ${MAX_ATTEMPTS} attempts to append failed`);
        appended = await this.tryAppend(sql, await readHead(sql), chunk);
      }
      last = appended.seq;
    }
    return last;
  }

  /** Writes the events after `head` if it is still the chain's head; returns the new head, or undefined. */
  private async tryAppend(sql: Sql, head: ChainHead, events: readonly { event: AuditEvent; at?: Date }[]): Promise<ChainHead | undefined> {
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
      tuples.push(`(${COLUMN_TYPES.map((type, k) => `$${first + k + 1}::${type}`).join(', ')})`);
      previous = hash;
    }
    const n = values.length;
    values.push(head.seq, head.hash, seq, previous);
    const [moved] = await sql.query(
      `WITH moved AS (UPDATE audit_head SET seq = $${n + 3}::bigint, hash = $${n + 4}::text WHERE id = 1 AND seq = $${n + 1}::bigint AND hash = $${n + 2}::text RETURNING id),
       appended AS (INSERT INTO audit_log (${COLUMNS}) SELECT appended.* FROM moved, (VALUES ${tuples.join(', ')}) AS appended)
       SELECT id FROM moved`,
      values,
    );
    if (!moved) return undefined;
    this.head = { seq, hash: previous };
    return this.head;
  }
}

/** Appends attempted before giving up: each failure means another writer got in first. */
const MAX_ATTEMPTS = 100;

/** The chain's head; inside a transaction, locked until it ends. */
async function readHead(sql: Sql): Promise<ChainHead> {
  const [row] = await sql.query<ChainHead>('SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE');
  return { seq: Number(row.seq), hash: row.hash };
}

export type ChainVerdict = { ok: true; records: number } | { ok: false; records: number; firstBroken: number; reason: string };

/** Walks the whole chain in order, in pages, recomputing every hash. */
export async function verifyAuditChain(db: Sql, pageSize = 5000): Promise<ChainVerdict> {
  // Records purged under the retention rules end at the checkpoint; the chain goes on from it.
  const [checkpoint] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_checkpoint WHERE id = 1');
  // The chain is checked up to the head as it is now: records appended meanwhile are not "extra".
  const [head] = await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
  const lastSeq = Number(head.seq);
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
      previous = row.hash;
      expectedSeq++;
    }
    if (expectedSeq <= pageEnd) {
      // The page ends early: a gap if later records exist, otherwise the end was cut (said below).
      const [later] = await db.query<{ seq: number }>('SELECT seq FROM audit_log WHERE seq > $1::bigint ORDER BY seq LIMIT 1', [expectedSeq]);
      if (later && Number(later.seq) <= lastSeq) return { ok: false, records: expectedSeq - 1, firstBroken: expectedSeq, reason: `record ${expectedSeq} is missing` };
      break;
    }
  }
  if (lastSeq !== expectedSeq - 1 || head.hash !== previous) {
    return { ok: false, records: expectedSeq - 1, firstBroken: expectedSeq, reason: `records after ${expectedSeq - 1} were deleted` };
  }
  return { ok: true, records: expectedSeq - 1 - Number(checkpoint.seq) };
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
