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

/** Sign-in attempts: per account and per client address. */
export const SIGN_IN_RATE_LIMITS: RateLimits = { perUserPerMinute: 10, perAgencyPerMinute: 60 };

/** Requests with a missing, unknown or expired credential, per client address. */
export const FAILED_CREDENTIALS_PER_MINUTE = 30;

const WINDOW_MS = 60_000;

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
    this.windows.count(`user:${userId}`, user);
    this.windows.count(`ori:${ori}`, agency);
  }
}

/**
 * Failed credentials per client address: past the limit, the address is refused before any
 * credential is looked up or any refusal written, until its minute has passed.
 */
export class FailureLimiter {
  private readonly windows: SlidingWindows;

  constructor(
    private readonly perMinute = FAILED_CREDENTIALS_PER_MINUTE,
    now: () => number = Date.now,
  ) {
    this.windows = new SlidingWindows(now);
  }

  /** Throws RATE_LIMITED while `address` is over its limit of failures. */
  check(address: string): void {
    const failures = this.windows.recent(address);
    if (failures.length >= this.perMinute) throw this.windows.refusal(failures, `client address ${address} after ${failures.length} failed credentials`);
  }

  /** Counts a failure; returns true when it is the one that reaches the limit. */
  fail(address: string): boolean {
    const failures = this.windows.recent(address);
    this.windows.count(address, failures);
    return failures.length === this.perMinute;
  }
}

/** Times of the events of each key within the last minute. */
class SlidingWindows {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  recent(key: string): number[] {
    const at = this.now();
    const times = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop] <= at - WINDOW_MS) drop++;
    const kept = drop > 0 ? times.slice(drop) : times;
    if (kept.length > 0) this.hits.set(key, kept);
    else this.hits.delete(key); // idle keys do not accumulate
    return kept;
  }

  count(key: string, times: number[]): void {
    times.push(this.now());
    this.hits.set(key, times);
  }

  refusal(times: number[], who: string): ConcordError {
    const retryAfter = Math.max(1, Math.ceil((times[0] + WINDOW_MS - this.now()) / 1000));
    return new ConcordError('RATE_LIMITED', `too many requests from ${who}; try again in ${retryAfter} s`, { retryAfter });
  }
}
