import { ConcordError } from '../shared/errors.ts';

/**
 * Requests per user and per agency in a sliding minute, so that one stolen token or one runaway
 * client cannot flood the repositories; failed credentials per client address, so that guessing
 * tokens cannot flood the audit trail either. Counts live in memory: each gateway process limits
 * what passes through it.
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

const WINDOW_MS = 60_000;
/** Keys tracked before idle ones are swept (at most once a second), so addresses seen once do not pile up. */
const MAX_TRACKED = 10_000;
const SWEEP_INTERVAL_MS = 1_000;

/** What the two counted keys of a limiter stand for, in its refusals. */
export interface LimitedParties {
  user: string;
  agency: string;
}

export class RateLimiter {
  private readonly windows: SlidingWindows;

  constructor(
    private readonly limits: RateLimits,
    now: () => number = Date.now,
    private readonly parties: LimitedParties = { user: 'user', agency: 'agency' },
  ) {
    this.windows = new SlidingWindows(now);
  }

  /** Counts one request; throws RATE_LIMITED (with the seconds to wait) when a limit is reached. */
  take(userId: string, ori: string): void {
    const user = this.windows.recent(`user:${userId}`);
    const agency = this.windows.recent(`ori:${ori}`);
    if (user.length >= this.limits.perUserPerMinute) throw this.windows.refusal(user, `${this.parties.user} ${userId}`);
    if (agency.length >= this.limits.perAgencyPerMinute) throw this.windows.refusal(agency, `${this.parties.agency} ${ori}`);
    this.windows.count(`user:${userId}`);
    this.windows.count(`ori:${ori}`);
  }
}

/**
 * Failed credentials per client address. The failure that reaches the limit blocks the address
 * for a full minute: it is refused before any credential is looked up or any refusal written, and
 * its failures start again from zero afterwards. IPv6 clients are counted by /64 network, the
 * block one host normally holds. Clients sharing one address (NAT, a proxy) share its limit.
 */
export class FailureLimiter {
  private readonly windows: SlidingWindows;
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    private readonly perMinute = FAILED_CREDENTIALS_PER_MINUTE,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new SlidingWindows(now);
  }

  /** Throws RATE_LIMITED while `address` is blocked. */
  check(address: string): void {
    const key = clientKey(address);
    const until = this.blockedUntil.get(key);
    if (until === undefined) return;
    const wait = until - this.now();
    if (wait > 0) throw rateLimited(`too many failed credentials from client address ${address}`, wait);
    this.blockedUntil.delete(key);
  }

  /** Counts a failure; returns true when it blocks the address (once per block, for the audit trail). */
  fail(address: string): boolean {
    const key = clientKey(address);
    if (this.windows.count(key) < this.perMinute) return false;
    this.windows.forget(key);
    this.blockedUntil.set(key, this.now() + WINDOW_MS);
    if (this.blockedUntil.size > MAX_TRACKED) this.sweepBlocks();
    return true;
  }

  private sweepBlocks(): void {
    const at = this.now();
    for (const [key, until] of this.blockedUntil) if (until <= at) this.blockedUntil.delete(key);
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

/** Times of the events of each key within the last minute. */
class SlidingWindows {
  private readonly hits = new Map<string, number[]>();
  private sweptAt = -Infinity;

  constructor(private readonly now: () => number) {}

  recent(key: string): number[] {
    const at = this.now();
    if (this.hits.size > MAX_TRACKED) this.sweep(at);
    const times = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop] <= at - WINDOW_MS) drop++;
    const kept = drop > 0 ? times.slice(drop) : times;
    if (kept.length > 0) this.hits.set(key, kept);
    else this.hits.delete(key); // idle keys do not accumulate
    return kept;
  }

  forget(key: string): void {
    this.hits.delete(key);
  }

  /** Drops every key whose events have all left the window. */
  private sweep(at: number): void {
    if (at - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = at;
    for (const [key, times] of this.hits) if (times[times.length - 1] <= at - WINDOW_MS) this.hits.delete(key);
  }

  /** Counts one event of `key` now; returns how many it has had within the window. */
  count(key: string): number {
    const times = this.recent(key);
    times.push(this.now());
    this.hits.set(key, times);
    return times.length;
  }

  /** The refusal while `times` (a key's recent events) fill the window: until the oldest leaves it. */
  refusal(times: number[], who: string): ConcordError {
    return rateLimited(`too many requests from ${who}`, times[0] + WINDOW_MS - this.now());
  }
}

function rateLimited(what: string, waitMs: number): ConcordError {
  const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
  return new ConcordError('RATE_LIMITED', `${what}; try again in ${retryAfter} s`, { retryAfter });
}
