import { describe, expect, it } from 'vitest';
import { AdmissionGate } from './admission-gate.ts';
import { isConcordError } from './errors.ts';

const limits = { concurrent: 1, queued: { interactive: 2, bulk: 2 }, retryAfterSeconds: 3 };

describe('admission gate', () => {
  it('gives a freed place to waiting interactive work before bulk work that waited longer', async () => {
    const gate = new AdmissionGate('the test', limits);
    const order: string[] = [];
    const first = await gate.admit('bulk');
    // Each, once admitted, notes its turn and frees its place for the next.
    const turn = (priority: 'bulk' | 'interactive', name: string) => gate.admit(priority).then((release) => (order.push(name), release()));
    const waiting = [turn('bulk', 'bulk 1'), turn('bulk', 'bulk 2'), turn('interactive', 'interactive')];
    expect(gate.stats.queued).toEqual({ interactive: 1, bulk: 2 });
    first();
    await Promise.all(waiting);
    expect(order).toEqual(['interactive', 'bulk 1', 'bulk 2']);
    expect(gate.stats.running).toBe(0);
  });

  it('refuses at once with BUSY and a time to retry when a priority queue is full, without touching the other', async () => {
    const gate = new AdmissionGate('the test', limits);
    const running = await gate.admit('bulk');
    const queued = [gate.admit('bulk'), gate.admit('bulk')];
    const refusal = await gate.admit('bulk').catch((error: unknown) => error);
    expect(isConcordError(refusal, 'BUSY')).toBe(true);
    expect((refusal as { where: Record<string, unknown> }).where).toMatchObject({ retryAfter: 3, priority: 'bulk' });
    const interactive = gate.admit('interactive');
    expect(gate.stats).toMatchObject({ running: 1, queued: { interactive: 1, bulk: 2 }, refused: { interactive: 0, bulk: 1 } });
    running();
    (await interactive)();
    for (const q of queued) (await q)();
    expect(gate.stats.running).toBe(0);
  });

  it('lets work that must not be refused wait beyond the bound, and withdraws a waiter whose client left', async () => {
    const gate = new AdmissionGate('the test', { ...limits, queued: { interactive: 0, bulk: 0 } });
    const running = await gate.admit('bulk');
    const event = gate.admit('bulk', { wait: true });
    const left = new AbortController();
    const withdrawn = gate.admit('interactive', { wait: true, signal: left.signal });
    left.abort();
    await expect(withdrawn).rejects.toMatchObject({ code: 'BUSY' });
    running();
    (await event)();
    expect(gate.stats).toMatchObject({ running: 0, queued: { interactive: 0, bulk: 0 } });
  });

  it('keeps reserved places for interactive work: bulk work alone cannot fill them', async () => {
    const gate = new AdmissionGate('the test', { concurrent: 3, reservedForInteractive: 2, queued: { interactive: 2, bulk: 2 }, retryAfterSeconds: 1 });
    const bulk = await gate.admit('bulk');
    const waitingBulk = gate.admit('bulk');
    expect(gate.stats).toMatchObject({ running: 1, queued: { bulk: 1 } });
    const officers = [await gate.admit('interactive'), await gate.admit('interactive')];
    expect(gate.stats.running).toBe(3);
    officers[0]();
    // The place an officer freed stays for officers while a booking holds the bulk place.
    expect(gate.stats).toMatchObject({ running: 2, queued: { bulk: 1 } });
    bulk();
    (await waitingBulk)();
    officers[1]();
    expect(gate.stats).toMatchObject({ running: 0, queued: { interactive: 0, bulk: 0 } });
  });
});
