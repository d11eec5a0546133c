import { ConcordError } from '../shared/errors.ts';

/**
 * Requests per user and per agency in a sliding minute, so that one stolen token or one runaway
 * client cannot flood the repositories. Counts live in memory: each gateway process limits what
 * passes through it.
 */
export interface RateLimits {
  perUserPerMinute: number;
  perAgencyPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { perUserPerMinute: 600, perAgencyPerMinute: 3000 };

/** Sign-in attempts: per account ("user") and per client address ("agency" slot). */
export const SIGN_IN_RATE_LIMITS: RateLimits = { perUserPerMinute: 10, perAgencyPerMinute: 60 };

const WINDOW_MS = 60_000;

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one request; throws RATE_LIMITED (with the seconds to wait) when a limit is reached. */
  take(userId: string, ori: string): void {
    const at = this.now();
    const user = this.recent(`user:${userId}`, at);
    const agency = this.recent(`ori:${ori}`, at);
    const over = user.length >= this.limits.perUserPerMinute ? user : agency.length >= this.limits.perAgencyPerMinute ? agency : undefined;
    if (over) {
      const retryAfter = Math.max(1, Math.ceil((over[0] + WINDOW_MS - at) / 1000));
      const who = over === user ? `user ${userId}` : `agency ${ori}`;
      throw new ConcordError('RATE_LIMITED', `too many requests from ${who}; try again in ${retryAfter} s`, { retryAfter });
    }
    user.push(at);
    agency.push(at);
  }

  private recent(key: string, at: number): number[] {
    const times = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop] <= at - WINDOW_MS) drop++;
    const kept = drop > 0 ? times.slice(drop) : times;
    this.hits.set(key, kept);
    return kept;
  }
}
