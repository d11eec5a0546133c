import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConcordError } from '../shared/errors.ts';
import { createMemoryBus } from '../infra/bus/memory-bus.ts';
import { openSharedGatewayDatabase, type SharedGatewayDatabase } from '../testing/shared-gateway-database.ts';
import type { Requester } from './access.ts';
import { once, STALE_CLAIM_SECONDS } from './tcn-claims.ts';
import { WorkflowContext } from './workflow-context.ts';

const officer: Requester = { userId: 'booking1', name: 'Booking Officer', ori: 'TX0570000', agencyType: 'local', role: 'booking_officer' };

describe.each([['embedded', undefined], ['PostgreSQL', process.env.DATABASE_URL]] as const)('TCN claims shared by gateway processes (%s)', (name, url) => {
  const skip = name === 'PostgreSQL' && !url;
  let shared: SharedGatewayDatabase;
  let gatewayA: WorkflowContext;
  let gatewayB: WorkflowContext;
  beforeAll(async () => {
    if (skip) return;
    shared = await openSharedGatewayDatabase(url, 'claims');
    gatewayA = new WorkflowContext(shared.first, createMemoryBus(), () => new Date(), undefined);
    gatewayB = new WorkflowContext(shared.second, createMemoryBus(), () => new Date(), undefined);
  });
  afterAll(async () => shared?.close());

  /** A booking's work as a gateway runs it: counted, so a test can tell whether it ran twice. */
  const booked: string[] = [];
  const book = (gateway: string, tcn: string) => async () => {
    booked.push(`${gateway}:${tcn}`);
    return { answer: { tcn, fbiNumber: '123456AB', by: gateway }, audit: { event: 'booking.answer', outcome: 'success' as const } };
  };
  const outcome = (attempt: Promise<unknown>) => attempt.catch((error: unknown) => error);

  it.skipIf(skip)('are taken over on another gateway once the holder stopped renewing, which then answers every retry with the one answer', async () => {
    // Gateway A claims the TCN and is stuck in its work (its process is about to die).
    let stuck!: () => void;
    const first = outcome(once(gatewayA, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, () => new Promise((resolve) => (stuck = () => resolve(book('a', 'T-DEAD-1')())))));
    await expectClaimed('T-DEAD-1');
    // While A lives, the client's retry on gateway B is told to ask again; nothing runs twice.
    expect(isConcordError(await outcome(once(gatewayB, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, book('b', 'T-DEAD-1'))), 'TCN_IN_PROGRESS')).toBe(true);
    // A died: its claim has gone unrenewed for longer than the staleness bound.
    await shared.first.query(`UPDATE transactions SET claim_renewed_at = clock_timestamp() - $1::int * interval '1 second' WHERE tcn = 'T-DEAD-1'`, [STALE_CLAIM_SECONDS + 1]);
    const answer = await once(gatewayB, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, book('b', 'T-DEAD-1'));
    expect(answer).toMatchObject({ by: 'b' });
    // Every later retry, on either gateway, gets that answer and runs nothing.
    expect(await once(gatewayA, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, book('a', 'T-DEAD-1'))).toEqual(answer);
    expect(await once(gatewayB, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, book('b', 'T-DEAD-1'))).toEqual(answer);
    // Were the first holder not dead after all, it could neither answer nor release the TCN.
    stuck();
    expect(isConcordError(await first, 'TCN_IN_PROGRESS')).toBe(true);
    expect(await once(gatewayA, officer, 'T-DEAD-1', 'booking', 'C', { prints: 1 }, book('a', 'T-DEAD-1'))).toEqual(answer);
    expect(booked.filter((entry) => entry.endsWith('T-DEAD-1'))).toEqual(['b:T-DEAD-1', 'a:T-DEAD-1']);
  });

  it.skipIf(skip)('are not taken over while fresh, and of two gateways racing for a stale one only one wins', async () => {
    let stuck!: () => void;
    const first = outcome(once(gatewayA, officer, 'T-RACE-1', 'booking', 'C', {}, () => new Promise((resolve) => (stuck = () => resolve(book('a', 'T-RACE-1')())))));
    await expectClaimed('T-RACE-1');
    await shared.first.query(`UPDATE transactions SET claim_renewed_at = clock_timestamp() - $1::int * interval '1 second' WHERE tcn = 'T-RACE-1'`, [STALE_CLAIM_SECONDS - 5]);
    expect(isConcordError(await outcome(once(gatewayB, officer, 'T-RACE-1', 'booking', 'C', {}, book('b', 'T-RACE-1'))), 'TCN_IN_PROGRESS')).toBe(true);
    await shared.first.query(`UPDATE transactions SET claim_renewed_at = clock_timestamp() - $1::int * interval '1 second' WHERE tcn = 'T-RACE-1'`, [STALE_CLAIM_SECONDS + 1]);
    let hold!: () => void;
    const held = new Promise<void>((resolve) => (hold = resolve));
    const racing = [gatewayA, gatewayB].map((gateway, k) =>
      outcome(once(gateway, officer, 'T-RACE-1', 'booking', 'C', {}, async () => {
        await held;
        return book(`racer${k}`, 'T-RACE-1')();
      })),
    );
    const loser = await Promise.race(racing);
    expect(isConcordError(loser, 'TCN_IN_PROGRESS')).toBe(true);
    hold();
    stuck();
    const results = await Promise.all([first, ...racing]);
    expect(results.filter((result) => !isConcordError(result))).toHaveLength(1);
  });

  async function expectClaimed(tcn: string): Promise<void> {
    for (let k = 0; k < 200; k++) {
      if ((await shared.first.query('SELECT 1 FROM transactions WHERE tcn = $1', [tcn])).length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${tcn} was never claimed`);
  }
});
