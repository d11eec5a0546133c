import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConcordError } from '../shared/errors.ts';
import { openSharedGatewayDatabase, type SharedGatewayDatabase } from '../testing/shared-gateway-database.ts';
import { FailureLimiter, RateLimiter } from './rate-limit.ts';

const refusalOf = (attempt: Promise<unknown>) => attempt.then(() => undefined, (error: unknown) => error);

// Embedded, and on PostgreSQL when DATABASE_URL is set: two gateways' limiters on one database.
describe.each([['embedded', undefined], ['PostgreSQL', process.env.DATABASE_URL]] as const)('rate limits kept in the database (%s)', (_name, url) => {
  const skip = _name === 'PostgreSQL' && !url;
  let shared: SharedGatewayDatabase;
  beforeAll(async () => {
    if (!skip) shared = await openSharedGatewayDatabase(url, 'ratelimit');
  });
  afterAll(async () => shared?.close());
  /** Moves every count and block of `key`'s kind `seconds` into the past, as if that much time had passed. */
  const age = async (seconds: number) => {
    await shared.first.query(`UPDATE rate_counts SET second = second - $1::int * interval '1 second'`, [seconds]);
    await shared.first.query(`UPDATE rate_blocks SET until = until - $1::int * interval '1 second'`, [seconds]);
  };

  it.skipIf(skip)('limit a user, then an agency, across two gateways sharing the database, within a sliding minute', async () => {
    const limits = { perUserPerMinute: 3, perAgencyPerMinute: 5 };
    const gatewayA = new RateLimiter(shared.first, 'requests', limits);
    const gatewayB = new RateLimiter(shared.second, 'requests', limits);
    await gatewayA.take('a', 'TX0570000');
    await gatewayB.take('a', 'TX0570000');
    await gatewayA.take('a', 'TX0570000');
    // The fourth, on either gateway, is refused: the count is the user's, not the process's.
    const refused = await refusalOf(gatewayB.take('a', 'TX0570000'));
    expect(isConcordError(refused, 'RATE_LIMITED') && refused.where.retryAfter).toBeGreaterThanOrEqual(59);
    expect(String(refused)).toMatch(/user a/);
    await gatewayB.take('b', 'TX0570000');
    await gatewayA.take('c', 'TX0570000');
    expect(String(await refusalOf(gatewayA.take('d', 'TX0570000')))).toMatch(/agency TX0570000/);
    await gatewayB.take('e', 'NY0303000');
    // Another limiter's counts are its own.
    await new RateLimiter(shared.second, 'sign-in', limits).take('a', 'TX0570000');
    await age(61);
    await gatewayB.take('a', 'TX0570000');
  });

  it.skipIf(skip)('counts parallel requests on two gateways once each', async () => {
    const limits = { perUserPerMinute: 1000, perAgencyPerMinute: 1000 };
    const gateways = [new RateLimiter(shared.first, 'parallel', limits), new RateLimiter(shared.second, 'parallel', limits)];
    await Promise.all(Array.from({ length: 40 }, (_, k) => gateways[k % 2].take('p', 'CA0000000')));
    const [{ n }] = await shared.first.query<{ n: number }>(`SELECT sum(count)::int AS n FROM rate_counts WHERE key = 'parallel:user:p'`);
    expect(n).toBe(40);
  });

  it.skipIf(skip)('block an address for a full minute from the failure that reaches the limit, on every gateway, counted by /64 for IPv6', async () => {
    const gatewayA = new FailureLimiter(shared.first, 3);
    const gatewayB = new FailureLimiter(shared.second, 3);
    expect([await gatewayA.fail('10.0.0.1'), await gatewayB.fail('10.0.0.1')]).toEqual([false, false]);
    await gatewayA.check('10.0.0.1');
    expect(await gatewayB.fail('10.0.0.1')).toBe(true); // the one that reaches the limit: audited once
    expect(String(await refusalOf(gatewayA.check('10.0.0.1')))).toMatch(/client address 10.0.0.1; try again in 60 s/);
    await gatewayA.check('10.0.0.2');
    await age(59);
    expect(String(await refusalOf(gatewayB.check('10.0.0.1')))).toMatch(/try again in 1 s/);
    await age(1);
    await gatewayA.check('10.0.0.1');
    // Its count started again from zero.
    expect([await gatewayA.fail('10.0.0.1'), await gatewayB.fail('10.0.0.1')]).toEqual([false, false]);
    // Addresses of one IPv6 /64 share a count, however they are written.
    expect([await gatewayA.fail('2001:db8:0:1::a'), await gatewayB.fail('2001:DB8:0:1:ffff::b'), await gatewayA.fail('2001:db8::1:0:0:0:c')]).toEqual([false, false, true]);
    expect(String(await refusalOf(gatewayB.check('2001:db8:0:1::99')))).toMatch(/too many/);
    await gatewayB.check('2001:db8:0:2::a');
  });
});
