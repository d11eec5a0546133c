import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';

/**
 * Requests per user and per agency in a sliding minute, so that one stolen token or one runaway
 * client cannot flood the repositories; failed credentials per client address, so that guessing
 * tokens cannot flood the audit trail either. The counts live in the gateway's database (one row
 * per key and second) and are read against the database's clock, so every gateway process
 * behind a load balancer counts against the same limits. Requests arriving at the same moment
 * on several processes may each pass a limit that has one place left: a limit can be exceeded
 * by at most the number of requests checked at that same moment.
 */
export interface RateLimits {
  perUserPerMinute: number;
  perAgencyPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perUserPerMinute: 600, perAgencyPerMinute: 3000 };

/** Sign-in attempts: per (account, client address) pair and per client address. */
export const SIGN_IN_RATE_LIMITS: RateLimits = { perUserPerMinute: 10, perAgencyPerMinute: 60 };

/** Requests with a missing, unknown or expired credential, per client address. */
export const FAILED_CREDENTIALS_PER_MINUTE = 30;

/** Counts older than the window are deleted this often (by whichever process checks next). */
const SWEEP_INTERVAL_MS = 10_000;

/** What the two counted keys of a limiter stand for, in its refusals. */
export interface LimitedParties {
  user: string;
  agency: string;
}

export class RateLimiter {
  private readonly sweeper: Sweeper;

  /** `name` keeps this limiter's counts apart from other limiters' in the shared table. */
  constructor(
    private readonly db: Sql,
    private readonly name: string,
    private readonly limits: RateLimits,
    private readonly parties: LimitedParties = { user: 'user', agency: 'agency' },
  ) {
    this.sweeper = new Sweeper(db);
  }

  /** Counts one request; throws RATE_LIMITED (with the seconds to wait) when a limit is reached. A refused request is not counted. */
  async take(userId: string, ori: string): Promise<void> {
    await this.sweeper.maybeSweep();
    const keys = [`${this.name}:user:${userId}`, `${this.name}:agency:${ori}`];
    // One call (rate_take, in the gateway's migrations): read both windows and, only when neither is full, count the request in both.
    const reached = await this.db.query<{ reached: string; wait_ms: number }>('SELECT reached, wait_ms FROM rate_take($1::text[], $2::int[])', [
      keys,
      [this.limits.perUserPerMinute, this.limits.perAgencyPerMinute],
    ]);
    if (reached.length === 0) return;
    const user = reached.find((row) => row.reached === keys[0]);
    const refusal = user ?? reached[0];
    throw rateLimited(`too many requests from ${user ? `${this.parties.user} ${userId}` : `${this.parties.agency} ${ori}`}`, Number(refusal.wait_ms));
  }
}

/**
 * Failed credentials per client address. The failure that reaches the limit blocks the address
 * for a full minute: it is refused before any credential is looked up or any refusal written, and
 * its failures start again from zero afterwards. IPv6 clients are counted by /64 network, the
 * block one host normally holds. Clients sharing one address (NAT, a proxy) share its limit.
 */
export class FailureLimiter {
  private readonly sweeper: Sweeper;

  constructor(
    private readonly db: Sql,
    private readonly perMinute = FAILED_CREDENTIALS_PER_MINUTE,
  ) {
    this.sweeper = new Sweeper(db);
  }

  /** Throws RATE_LIMITED while `address` is blocked. */
  async check(address: string): Promise<void> {
    const [blocked] = await this.db.query<{ wait_ms: number }>(
      `SELECT (EXTRACT(EPOCH FROM (until - clock_timestamp())) * 1000)::float8 AS wait_ms FROM rate_blocks WHERE key = $1 AND until > clock_timestamp()`,
      [failureKey(address)],
    );
    if (blocked) throw rateLimited(`too many failed credentials from client address ${address}`, Number(blocked.wait_ms));
  }

  /** Counts a failure; returns true when it blocks the address (once per block, whichever process counted it, for the audit trail). */
  async fail(address: string): Promise<boolean> {
    await this.sweeper.maybeSweep();
    const key = failureKey(address);
    // The count read is the one before this statement's own insert: hence the + 1.
    const [{ n }] = await this.db.query<{ n: number }>(
      `WITH clock AS (SELECT date_trunc('second', clock_timestamp()) AS second),
       counted AS (
         INSERT INTO rate_counts (key, second, count) SELECT $1, clock.second, 1 FROM clock
         ON CONFLICT (key, second) DO UPDATE SET count = rate_counts.count + 1 RETURNING key)
       SELECT (SELECT coalesce(sum(c.count), 0) FROM rate_counts c, clock WHERE c.key = $1 AND c.second > clock.second - interval '60 seconds')::int + 1 AS n`,
      [key],
    );
    if (Number(n) < this.perMinute) return false;
    const blocked = await this.db.query(
      `INSERT INTO rate_blocks (key, until) VALUES ($1, clock_timestamp() + interval '60 seconds')
       ON CONFLICT (key) DO UPDATE SET until = EXCLUDED.until WHERE rate_blocks.until <= clock_timestamp() RETURNING key`,
      [key],
    );
    await this.db.query('DELETE FROM rate_counts WHERE key = $1', [key]);
    return blocked.length > 0;
  }
}

/** An IPv4 address as it is; an IPv6 one by its /64 network (the block one host normally holds). */
export function clientKey(address: string): string {
  if (!address.includes(':') || address.startsWith('::ffff:')) return address;
  const [head, tail = ''] = address.split('::');
  const groups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const full = [...groups, ...Array<string>(Math.max(0, 8 - groups.length - tailGroups.length)).fill('0'), ...tailGroups];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function failureKey(address: string): string {
  return `credentials:${clientKey(address)}`;
}

/** Deletes counts that left the window and blocks that ended, at most every few seconds per process. */
class Sweeper {
  private sweptAt = 0;

  constructor(private readonly db: Sql) {}

  async maybeSweep(): Promise<void> {
    if (Date.now() - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = Date.now();
    await this.db.query(`DELETE FROM rate_counts WHERE second <= date_trunc('second', clock_timestamp()) - interval '60 seconds'`);
    await this.db.query('DELETE FROM rate_blocks WHERE until <= clock_timestamp()');
  }
}

function rateLimited(what: string, waitMs: number): ConcordError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new ConcordError('RATE_LIMITED', `${what}; try again in ${retryAfter} s`, { retryAfter });
}
