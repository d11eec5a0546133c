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

  it('blocks an address for a full minute from the failure that reaches the limit, counted by /64 for IPv6', () => {
    let now = 0;
    const failures = new FailureLimiter(3, () => now);
    expect([failures.fail('10.0.0.1'), failures.fail('10.0.0.1')]).toEqual([false, false]);
    failures.check('10.0.0.1');
    now = 30_000;
    expect(failures.fail('10.0.0.1')).toBe(true); // the one that reaches the limit: audited once
    expect(() => failures.check('10.0.0.1')).toThrow(/client address 10.0.0.1; try again in 60 s/);
    failures.check('10.0.0.2');
    now = 89_000;
    expect(() => failures.check('10.0.0.1')).toThrow(/try again in 1 s/);
    now = 90_000;
    failures.check('10.0.0.1');
    // Its count started again from zero.
    expect([failures.fail('10.0.0.1'), failures.fail('10.0.0.1')]).toEqual([false, false]);
    // Addresses of one IPv6 /64 share a count, however they are written.
    expect([failures.fail('2001:db8:0:1::a'), failures.fail('2001:DB8:0:1:ffff::b'), failures.fail('2001:db8::1:0:0:0:c')]).toEqual([false, false, true]);
    expect(() => failures.check('2001:db8:0:1::99')).toThrow(/RATE_LIMITED|too many/);
    failures.check('2001:db8:0:2::a');
  });
});
