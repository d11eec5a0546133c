import { describe, expect, it } from 'vitest';
import { isConcordError } from '../shared/errors.ts';
import { FailureLimiter, RateLimiter } from './rate-limit.ts';

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

  it('refuses an address after its failures reach the limit, until they leave the minute', () => {
    let now = 0;
    const failures = new FailureLimiter(3, () => now);
    expect([failures.fail('10.0.0.1'), failures.fail('10.0.0.1')]).toEqual([false, false]);
    failures.check('10.0.0.1');
    now = 30_000;
    expect(failures.fail('10.0.0.1')).toBe(true); // the one that reaches the limit
    expect(() => failures.check('10.0.0.1')).toThrow(/client address 10.0.0.1 .* try again in 30 s/);
    failures.check('10.0.0.2');
    now = 60_001;
    failures.check('10.0.0.1'); // the first two have aged out
  });
});
