import type { Database, Sql } from '../infra/db/database.ts';
import { errorCode } from '../shared/errors.ts';
import { auditHash, normaliseAuditEvent, type AuditContent } from './audit-record.ts';
import { readRepair, REPAIR_EVENT, type AuditSigner, type RepairEntry, type RepairTarget } from './audit-repair.ts';

/**
 * The append-only, hash-chained audit trail. Each record's hash covers its content and the
 * previous record's hash, so editing, deleting or reordering any record breaks every hash after
 * it. A record is written inside the transaction of the action it records, or, for a disclosure
 * that writes nothing else, committed on its own before the answer is sent.
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

/** A stored record: its content, and the hashes that chain it. */
interface AuditRow extends AuditContent {
  prev_hash: string;
  hash: string;
}

/** Rows per INSERT: 14 parameters each keeps a statement well under PostgreSQL's 65,535. */
const INSERT_ROWS = 1000;

const COLUMNS = 'seq, at, component, event, user_id, ori, purpose, tcn, outcome, record_ids, field_classes, client, prev_hash, hash';
const COLUMN_COUNT = COLUMNS.split(',').length;

export interface ChainHead {
  seq: number;
  hash: string;
}

/** How far behind the chain the head witness may fall: it is moved at most this often. */
const WITNESS_DELAY_MS = 50;

/**
 * Appends to the chain of one database. A record's sequence number is its predecessor's plus
 * one and unique, so the chain cannot fork: of two records chained to the same predecessor only
 * one goes in, and the other's writer reads the head and chains again. (This relies on READ
 * COMMITTED, PostgreSQL's default: each statement of a transaction sees what others committed.)
 *
 * Events appended on their own (no transaction) are written in arrival order, those that
 * arrive while a write is under way together in the next one (group commit): each write is one
 * INSERT, committed when it returns, so the writer remembers that head and needs no read before
 * the next. It reads the head anew after a purge and after REMEMBER_MS without writing, so that
 * a head whose successors another process wrote and a purge then deleted is not chained to.
 * Inside a transaction, which may yet roll back, an event is chained to the head read there, the
 * witness (below) moves with it, and the writer remembers nothing.
 *
 * The witness row `audit_head` records the last record, so that records cut from the end of the
 * chain are detected. After appends on their own it is moved within WITNESS_DELAY_MS (and by
 * `close`), not by each one: that keeps such an audit record to one statement.
 */
export class AuditWriter {
  private head: ChainHead | undefined;
  private headWrittenAt = 0;
  private readonly waiting: Pending[] = [];
  private writing: Promise<void> | undefined;
  private witnessTimer: NodeJS.Timeout | undefined;
  private witnessMove: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly db: Database) {}

  /** Appends one event, in `tx` if given, else on its own; returns its sequence number once it is committed (or, in `tx`, written). */
  async append(event: AuditEvent, at = new Date(), tx?: Sql): Promise<number> {
    if (tx) {
      const appended = await appendWithRetry(tx, undefined, [{ event, at }], 'skip');
      await moveWitnessTo(tx, appended);
      return appended.seq;
    }
    return new Promise((written, failed) => {
      this.waiting.push({ event, at, written, failed });
      this.writing ??= this.writeWaiting();
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
      const appended = await insertChained(tx, head, chunk, 'fail');
      if (!appended) throw new Error(`audit records after ${head.seq} appeared while the audit log was locked`);
      head = appended;
    }
    if (events.length > 0) await moveWitnessTo(tx, head);
    return head.seq;
  }

  /** Deletes the records written before `before` (see purgeAuditBefore); the writer then reads the head anew. */
  async purgeBefore(tx: Sql, before: Date): Promise<number> {
    this.head = undefined;
    return purgeAuditBefore(tx, before);
  }

  /**
   * Waits for the appends under way, moves the witness to the last record and stops the timer;
   * call before closing the database. Appends after it still work but leave the witness behind.
   */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await this.writing;
    clearTimeout(this.witnessTimer);
    this.witnessTimer = undefined;
    await this.witnessMove;
    await moveWitness(this.db);
  }

  /** Writes whatever is waiting, a group at a time, until nothing is. */
  private async writeWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.waiting.splice(0, INSERT_ROWS);
      try {
        await this.write(group);
      } catch (error) {
        // If the database refused the data, nothing was written, and one refused event must not
        // take its neighbours down with it: each is tried again on its own, and only its caller
        // fails. Otherwise (a lost connection) whether it wrote is not known: every caller fails
        // rather than risk recording an event twice.
        if (group.length > 1 && isRefusedData(error)) {
          for (const entry of group) await this.write([entry]).catch(entry.failed);
        } else {
          for (const entry of group) entry.failed(error);
        }
      }
    }
    this.writing = undefined;
    this.scheduleWitness();
  }

  /** Writes the group in one statement, after the head the writer remembers, and tells each caller its number. */
  private async write(group: readonly Pending[]): Promise<void> {
    if (performance.now() - this.headWrittenAt > REMEMBER_MS) this.head = undefined;
    try {
      this.head = await appendWithRetry(this.db, this.head, group, 'fail');
    } catch (error) {
      this.head = undefined;
      throw error;
    }
    this.headWrittenAt = performance.now();
    const first = this.head.seq - group.length + 1;
    group.forEach((entry, k) => entry.written(first + k));
  }

  private scheduleWitness(attempt = 0): void {
    if (this.witnessTimer || this.closed) return;
    this.witnessTimer = setTimeout(() => {
      this.witnessTimer = undefined;
      // A failed move is tried again a few times; after that, the next append's move makes it good.
      this.witnessMove = moveWitness(this.db).catch(() => {
        if (attempt + 1 < WITNESS_ATTEMPTS) this.scheduleWitness(attempt + 1);
      });
    }, WITNESS_DELAY_MS);
    this.witnessTimer.unref();
  }
}

/** An event waiting to be written on its own, and its caller's promise. */
interface Pending {
  event: AuditEvent;
  at: Date;
  written: (seq: number) => void;
  failed: (error: unknown) => void;
}

/** A remembered head is trusted this long after the writer last wrote (milliseconds). */
const REMEMBER_MS = 60_000;
/** Attempts at moving the witness after appends on their own. */
const WITNESS_ATTEMPTS = 5;

/** Appends attempted before giving up: each failure means another writer got in first. */
const MAX_ATTEMPTS = 100;

/** Chains the events after `head` (read first if unknown), and again after the head read anew while another writer got in first. */
async function appendWithRetry(sql: Sql, head: ChainHead | undefined, events: readonly { event: AuditEvent; at?: Date }[], collision: Collision): Promise<ChainHead> {
  let appended = head && (await insertChained(sql, head, events, collision));
  // Each miss means another writer appended meanwhile: the bound is only there to fail loudly on a fault.
  for (let attempt = 0; !appended; attempt++) {
    if (attempt === MAX_ATTEMPTS) throw new Error(`the audit chain head kept moving: ${MAX_ATTEMPTS} attempts to append failed`);
    appended = await insertChained(sql, await readHead(sql), events, collision);
  }
  return appended;
}

/** PostgreSQL's code for a unique violation: here, a sequence number another record holds. */
const UNIQUE_VIOLATION = '23505';

/** A statement the database refused for its data (SQLSTATE class 22 or 23): it wrote nothing. */
function isRefusedData(error: unknown): boolean {
  return /^2[23]/.test(errorCode(error));
}

/**
 * What a collision with another record's sequence number does: `skip` takes nothing and leaves
 * an enclosing transaction usable (one event only); `fail` makes the statement fail whole, which
 * a statement on its own, or one under a batch's table lock, can afford, and costs less.
 */
type Collision = 'skip' | 'fail';

/**
 * Writes the events after `head` in one statement; returns the new head, or undefined if another
 * record already holds one of their sequence numbers (after waiting for that record's transaction).
 */
async function insertChained(sql: Sql, head: ChainHead, events: readonly { event: AuditEvent; at?: Date }[], collision: Collision): Promise<ChainHead | undefined> {
  const values: unknown[] = [];
  const tuples: string[] = [];
  let { seq, hash: previous } = head;
  for (const { event, at } of events) {
    seq++;
    // Normalised once, then hashed and stored as it is: what the chain covers is what the table holds.
    const row = normaliseAuditEvent(event, seq, at ?? new Date());
    const hash = auditHash(previous, row);
    const first = values.length;
    values.push(row.seq, row.at, row.component, row.event, row.user_id, row.ori, row.purpose, row.tcn, row.outcome, JSON.stringify(row.record_ids), JSON.stringify(row.field_classes), row.client, previous, hash);
    tuples.push(`(${Array.from({ length: COLUMN_COUNT }, (_, k) => `$${first + k + 1}`).join(', ')})`);
    previous = hash;
  }
  const insert = `INSERT INTO audit_log (${COLUMNS}) VALUES ${tuples.join(', ')}`;
  // One event is the common case, one text: worth keeping prepared. Groups vary in size.
  const prepare = events.length === 1;
  if (collision === 'skip') {
    if (events.length !== 1) throw new Error('only one audit event at a time can be skipped on a collision');
    if ((await sql.execute(`${insert} ON CONFLICT (seq) DO NOTHING`, values, { prepare })) === 0) return undefined;
  } else {
    try {
      await sql.execute(insert, values, { prepare });
    } catch (error) {
      if (errorCode(error) === UNIQUE_VIOLATION) return undefined;
      throw error;
    }
  }
  return { seq, hash: previous };
}

/** The last record as this statement sees it: committed ones, and the transaction's own. */
async function readHead(sql: Sql): Promise<ChainHead> {
  return readHeadRow(sql, `(SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) UNION ALL (SELECT seq, hash FROM audit_checkpoint WHERE id = 1) ORDER BY seq DESC LIMIT 1`);
}

/** The one (seq, hash) row a query returns, its number a number (BIGINT may come back as text). */
async function readHeadRow(sql: Sql, query: string): Promise<ChainHead> {
  const [row] = await sql.query<ChainHead>(query);
  return { seq: Number(row.seq), hash: row.hash };
}

/** Points the witness at the last committed record; it only ever moves forward. */
async function moveWitness(db: Sql): Promise<void> {
  await db.execute(
    `UPDATE audit_head SET seq = last.seq, hash = last.hash FROM (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS last WHERE audit_head.id = 1 AND audit_head.seq < last.seq`,
  );
}

/** Points the witness at `head`, written in the same transaction, so that both commit together. */
async function moveWitnessTo(tx: Sql, head: ChainHead): Promise<void> {
  await tx.execute('UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq < $1', [head.seq, head.hash]);
}

/** A place where the chain does not hold. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/** A break that a signed repair entry covers: reported, and verification goes on past it. */
export interface RepairedBreak extends ChainBreak {
  repairSeq: number;
  cause: string;
}

/**
 * The verdict on the chain: `ok` when every break there is (if any) is repaired. `breaks` lists
 * all that are not, in order; `firstBroken` and `reason` name the first of them, and `records`
 * counts the records before it (all records walked, when ok).
 */
export type ChainVerdict =
  | { ok: true; records: number; head: ChainHead; repaired: RepairedBreak[] }
  | { ok: false; records: number; firstBroken: number; reason: string; breaks: ChainBreak[]; repaired: RepairedBreak[] };

export interface VerifyOptions {
  /** Records per read. */
  pageSize?: number;
  /**
   * Heads reported by earlier verifications and kept outside the database: each must still be
   * in the chain, unchanged, which catches records cut from the end even by someone who could
   * also move the witness.
   */
  anchors?: readonly ChainHead[];
  /** Checks the signatures of repair entries; without it no repair is accepted. */
  signer?: AuditSigner;
}

/** A record altered: what a repair of it must name. */
interface Alteration extends ChainBreak {
  storedHash: string;
  recomputedHash: string;
}

/**
 * Walks the whole chain in order, in pages, recomputing every hash, up to the last record there
 * is when it starts (records appended meanwhile are left for the next run), and reports every
 * break, not only the first: after one it goes on from the record as stored. The witness, and
 * each anchor, must name a record walked, unchanged: if the chain ends before one, records were
 * cut from the end. An anchor before the checkpoint names a record since purged (or a chain
 * rewritten from the checkpoint on), which cannot be checked: that fails at once. A record
 * altered is reported as repaired when a signed repair entry later in the chain names it with the
 * hash it stores and the hash its stored content gives now.
 */
export async function verifyAuditChain(db: Sql, options: VerifyOptions = {}): Promise<ChainVerdict> {
  const pageSize = options.pageSize ?? 5000;
  // Records purged under the retention rules end at the checkpoint; the chain goes on from it.
  const checkpoint = await readHeadRow(db, 'SELECT seq, hash FROM audit_checkpoint WHERE id = 1');
  const witness = await readHeadRow(db, 'SELECT seq, hash FROM audit_head WHERE id = 1');
  const [{ last }] = await db.query<{ last: number | null }>('SELECT max(seq) AS last FROM audit_log');
  const anchors = options.anchors ?? [];
  const purged = anchors.find((anchor) => anchor.seq < checkpoint.seq);
  if (purged) return verdict(checkpoint, [{ seq: purged.seq, reason: `record ${purged.seq}, which an anchor names, is before the checkpoint at ${checkpoint.seq} (purged): the anchor cannot be checked` }], [], checkpoint);
  // Heads each record must match; the witness only once it is past the checkpoint (it may lag a purge).
  const heads = [...anchors, ...(witness.seq >= checkpoint.seq ? [witness] : [])];
  const named = (seq: number, hash: string) => heads.some((head) => head.seq === seq && head.hash !== hash);
  const breaks: (ChainBreak | Alteration)[] = [];
  const repairs: RepairEntry[] = [];
  if (named(checkpoint.seq, checkpoint.hash)) breaks.push({ seq: checkpoint.seq, reason: `record ${checkpoint.seq} is not the one its recorded head names` });
  const lastSeq = Math.max(Number(last ?? 0), ...heads.map((head) => head.seq));
  let previous = checkpoint.hash;
  let expectedSeq = checkpoint.seq + 1;
  // A page is a range of sequence numbers, not a LIMIT: whatever plan the database picks, it
  // reads one page of rows (a LIMIT over "all after" can make it sort the rest of the log).
  for (let from = expectedSeq; from <= lastSeq; from += pageSize) {
    const rows = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq >= $1::bigint AND seq <= $2::bigint ORDER BY seq', [from, Math.min(lastSeq, from + pageSize - 1)]);
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        breaks.push({ seq: expectedSeq, reason: seq === expectedSeq + 1 ? `record ${expectedSeq} is missing` : `records ${expectedSeq} to ${seq - 1} are missing` });
        // The gap is reported; the record after it is checked from its own link on.
        previous = row.prev_hash;
      }
      if (row.prev_hash !== previous) breaks.push({ seq, reason: `record ${seq} does not follow record ${seq - 1}` });
      const { prev_hash: _p, hash: _h, ...stored } = row;
      const content = { ...stored, seq };
      const recomputed = auditHash(row.prev_hash, content);
      if (recomputed !== row.hash) breaks.push({ seq, reason: `record ${seq} was altered`, storedHash: row.hash, recomputedHash: recomputed });
      else {
        const repair = readRepair(content, options.signer);
        if (repair) repairs.push(repair);
      }
      // The chain was rebuilt from here on: this is not the record a head recorded.
      if (named(seq, row.hash)) breaks.push({ seq, reason: `record ${seq} is not the one its recorded head names` });
      previous = row.hash;
      expectedSeq = seq + 1;
    }
  }
  // The chain ends before the last record a head names: the end was cut.
  if (expectedSeq <= lastSeq) breaks.push({ seq: expectedSeq, reason: `records after ${expectedSeq - 1} were deleted` });
  return verdict(checkpoint, ...applyRepairs(breaks, repairs, !!options.signer), { seq: expectedSeq - 1, hash: previous });
}

/** Splits the breaks into those a valid repair covers and the rest; a repair entry whose signature fails is a break itself. */
function applyRepairs(breaks: readonly (ChainBreak | Alteration)[], repairs: readonly RepairEntry[], canCheck: boolean): [ChainBreak[], RepairedBreak[]] {
  const open: ChainBreak[] = [];
  const repaired: RepairedBreak[] = [];
  for (const broken of breaks) {
    const named = 'storedHash' in broken ? repairs.filter((repair) => repair.signed && repair.seq === broken.seq && repair.repairSeq > broken.seq) : [];
    const covering = named.find((repair) => 'storedHash' in broken && repair.storedHash === broken.storedHash && repair.recomputedHash === broken.recomputedHash);
    if (covering) repaired.push({ seq: broken.seq, reason: broken.reason, repairSeq: covering.repairSeq, cause: covering.cause });
    else if (named.length > 0) open.push({ seq: broken.seq, reason: `${broken.reason} since its repair (record ${named[named.length - 1].repairSeq})` });
    else open.push({ seq: broken.seq, reason: broken.reason });
  }
  for (const repair of repairs.filter((entry) => !entry.signed)) {
    open.push({ seq: repair.repairSeq, reason: canCheck ? `record ${repair.repairSeq} is a repair entry whose signature does not hold` : `record ${repair.repairSeq} is a repair entry, whose signature cannot be checked without the gateway's key file` });
  }
  return [open.sort((a, b) => a.seq - b.seq), repaired];
}

function verdict(checkpoint: ChainHead, breaks: ChainBreak[], repaired: RepairedBreak[], head: ChainHead): ChainVerdict {
  if (breaks.length === 0) return { ok: true, records: head.seq - checkpoint.seq, head, repaired };
  const [first] = breaks;
  return { ok: false, records: Math.max(0, first.seq - 1 - checkpoint.seq), firstBroken: first.seq, reason: first.reason, breaks, repaired };
}

/**
 * Deletes the audit records written before `before` (their retention has passed) and moves the
 * checkpoint to the last of them, so the remaining chain still verifies. Returns how many went.
 */
async function purgeAuditBefore(tx: Sql, before: Date): Promise<number> {
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
  /** The client address the request came from. */
  client?: string;
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
  /** The client address, where the request came from (the only trace of an unauthenticated caller). */
  client?: string;
}

const MAX_SEARCH_ROWS = 500;

/** Rows a privacy officer's search returns: as asked (100 if not), 1 to MAX_SEARCH_ROWS. */
export function searchLimit(asked: number | undefined): number {
  return Math.min(Math.max(1, asked ?? 100), MAX_SEARCH_ROWS);
}

/**
 * The audit trail searched by subject, user, agency, client address and period, newest first: with
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
  if (filter.client) add((p) => `client = ${p}`, filter.client);
  if (filter.from) add((p) => `at >= ${p}`, filter.from);
  if (filter.to) add((p) => `at <= ${p}`, filter.to);
  if (filter.disclosuresOnly) where.push(`outcome = 'success' AND jsonb_array_length(field_classes) > 0`);
  values.push(searchLimit(filter.limit));
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
    client: row.client ?? undefined,
  }));
}

/**
 * Record `seq` if its stored hash is not the one its stored content gives (what a repair entry
 * names); undefined if it holds, or if there is no such record.
 */
export async function alteredRecord(db: Sql, seq: number): Promise<RepairTarget | undefined> {
  const [row] = await db.query<AuditRow>('SELECT * FROM audit_log WHERE seq = $1::bigint', [seq]);
  if (!row) return undefined;
  const { prev_hash: previous, hash, ...stored } = row;
  const recomputedHash = auditHash(previous, { ...stored, seq: Number(row.seq) });
  return recomputedHash === hash ? undefined : { seq, storedHash: hash, recomputedHash };
}

/** The sequence number of a repair entry already naming exactly this break, if there is one. */
export async function repairOf(db: Sql, target: RepairTarget): Promise<number | undefined> {
  const named = JSON.stringify([`audit:${target.seq}`, `stored:${target.storedHash}`, `recomputed:${target.recomputedHash}`]);
  const [row] = await db.query<{ seq: number }>(`SELECT seq FROM audit_log WHERE event = $1 AND record_ids @> $2::jsonb ORDER BY seq LIMIT 1`, [REPAIR_EVENT, named]);
  return row ? Number(row.seq) : undefined;
}
