import { describe, expect, it } from 'vitest';
import { isConcordError } from '../shared/errors.ts';
import { RateLimiter } from './rate-limit.ts';

describe('rate limits', () => {
  it('limits a user, then an agency, within a sliding minute', () => {
    let now = 0;
    const limiter = new RateLimiter({ perUserPerMinute: 3, perAgencyPerMinute: 5 }, () => now);
    for (let i = 0; i < 3; i++) limiter.take('a', 'TX0570000');
    let refused: unknown;
    try {
      limiter.take('a', 'TX0570000');
    } catch (error) {
      refused = error;
    }
    expect(isConcordError(refused, 'RATE_LIMITED') && refused.where.retryAfter).toBe(60);
    limiter.take('b', 'TX0570000');
    limiter.take('c', 'TX0570000');
    expect(() => limiter.take('d', 'TX0570000')).toThrow(/agency TX0570000/);
    limiter.take('e', 'NY0303000');
    now = 60_001;
    limiter.take('a', 'TX0570000');
  });
});
