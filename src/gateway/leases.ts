import type { Sql } from '../infra/db/database.ts';

/**
 * Leases: a named job that must run on exactly one gateway process at a time (the retention
 * purge, hit-confirmation escalation) belongs to whichever process holds its lease. The holder
 * renews it well before it expires; a holder that dies stops renewing, and once the lease has
 * expired the next process to ask takes it over. Expiry is judged by the database's clock, the
 * one clock every process shares.
 */
export interface Lease {
  name: string;
  holder: string;
  expiresAt: string;
  /** When this holder took it (not when it last renewed it); null for a lease taken before that was kept, until renewed. */
  heldSince: string | null;
  /** When the job last started, by any holder: a new holder does not rerun a job just run. */
  lastRunAt: string | null;
}

/**
 * Takes the lease `name` for `holder`, or renews it if `holder` has it, for `seconds`; undefined
 * when another holder's lease has not expired. A lease created here counts its job as just run,
 * so a daily job first runs a day after the first process starts, not at every first start.
 */
export async function acquireLease(db: Sql, name: string, holder: string, seconds: number): Promise<Lease | undefined> {
  const [row] = await db.query<LeaseRow>(
    `INSERT INTO leases AS l (name, holder, expires_at, last_run_at, held_since) VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 second', clock_timestamp(), clock_timestamp())
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
       held_since = CASE WHEN l.holder = EXCLUDED.holder THEN coalesce(l.held_since, EXCLUDED.held_since) ELSE EXCLUDED.held_since END
       WHERE l.holder = EXCLUDED.holder OR l.expires_at <= clock_timestamp()
     RETURNING name, holder, expires_at, last_run_at, held_since`,
    [name, holder, seconds],
  );
  return row && fromRow(row);
}

/**
 * Marks the job as started now, if it is due (last started `everySeconds` ago or more) and
 * `holder` still holds an unexpired lease: true when the holder should run it.
 */
export async function startRunIfDue(db: Sql, name: string, holder: string, everySeconds: number): Promise<boolean> {
  const started = await db.query(
    `UPDATE leases SET last_run_at = clock_timestamp()
      WHERE name = $1 AND holder = $2 AND expires_at > clock_timestamp()
        AND (last_run_at IS NULL OR last_run_at <= clock_timestamp() - $3::float8 * interval '1 second')
      RETURNING name`,
    [name, holder, everySeconds],
  );
  return started.length > 0;
}

/** Gives the lease up at once (a process stopping politely), so another takes it without waiting for expiry. */
export async function releaseLease(db: Sql, name: string, holder: string): Promise<void> {
  await db.query('UPDATE leases SET expires_at = clock_timestamp() WHERE name = $1 AND holder = $2', [name, holder]);
}

export async function leaseHolder(db: Sql, name: string): Promise<Lease | undefined> {
  const [row] = await db.query<LeaseRow>('SELECT name, holder, expires_at, last_run_at, held_since FROM leases WHERE name = $1 AND expires_at > clock_timestamp()', [name]);
  return row && fromRow(row);
}

interface LeaseRow {
  name: string;
  holder: string;
  expires_at: string;
  last_run_at: string | null;
  held_since: string | null;
}

function fromRow(row: LeaseRow): Lease {
  return { name: row.name, holder: row.holder, expiresAt: row.expires_at, heldSince: row.held_since, lastRunAt: row.last_run_at };
}
