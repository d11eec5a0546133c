import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryBus } from '../infra/bus/memory-bus.ts';
import { createNatsBus, deleteNatsStream } from '../infra/bus/nats-bus.ts';
import type { MessageBus } from '../infra/bus/message-bus.ts';
import { Presence } from './presence.ts';
import { useTestSystem } from '../testing/test-system.ts';

const beat = (replica: string, nodes: string[], refused: Record<string, number> = {}) => () => ({ replica, nodes, version: '0.1.0', startedAt: '2026-12-05T08:00:00.000Z', refusedTemplates: refused });
const closing: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const close of closing.reverse()) await close().catch(() => undefined);
});

async function replicasOn(bus: MessageBus, names: [string, string[]][], options = { intervalMs: 100 }): Promise<Presence[]> {
  const started: Presence[] = [];
  for (const [name, nodes] of names) {
    const presence = await Presence.start(bus, beat(name, nodes, nodes.includes('criminal') ? { criminal: 2 } : {}), options);
    closing.push(() => presence.close());
    started.push(presence);
  }
  return started;
}

describe('replicas seen over the bus', () => {
  it('lists every replica with its version, forgets one that stops beating, and drops one that leaves at once', async () => {
    const bus = createMemoryBus();
    const [gateway, criminalA, criminalB] = await replicasOn(bus, [['gw-1', ['gateway']], ['crim-a', ['criminal']], ['crim-b', ['criminal']]], { intervalMs: 50 });
    expect(gateway.replicas().map((r) => [r.replica, r.nodes, r.version, r.messageVersion])).toEqual([
      ['crim-a', ['criminal'], '0.1.0', 1],
      ['crim-b', ['criminal'], '0.1.0', 1],
      ['gw-1', ['gateway'], '0.1.0', 1],
    ]);
    // Replicas of one repository share its database: its refused templates are counted once.
    expect(gateway.refusedTemplates()).toBe(2);
    await criminalA.close();
    expect(gateway.replicas().map((r) => r.replica)).toEqual(['crim-b', 'gw-1']);
    // A replica killed says nothing: it expires after three missed beats.
    (criminalB as unknown as { timer: NodeJS.Timeout }).timer.close();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(gateway.replicas().map((r) => r.replica)).toEqual(['gw-1']);
  });

  it.skipIf(!process.env.NATS_URL)('hears replicas in other connections to NATS, a newcomer at once', async () => {
    const prefix = `presence${process.pid}_${Date.now().toString(36)}`;
    const buses = [await createNatsBus(process.env.NATS_URL!, { prefix }), await createNatsBus(process.env.NATS_URL!, { prefix })];
    closing.push(async () => {
      for (const bus of buses) await bus.close();
      await deleteNatsStream(process.env.NATS_URL!, prefix);
    });
    const [gateway] = await replicasOn(buses[0], [['gw-1', ['gateway']]], { intervalMs: 5000 });
    await replicasOn(buses[1], [['imm-1', ['immigration']]], { intervalMs: 5000 });
    const until = Date.now() + 2000;
    while (gateway.replicas().length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(gateway.replicas().map((r) => r.replica)).toEqual(['gw-1', 'imm-1']);
  });
});

describe('GET /health', () => {
  const t = useTestSystem();
  it('lists the replicas heard on the bus, with their release and message version', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    const body = response.json() as { replicas: { nodes: string[]; version: string; messageVersion: number }[] };
    expect(body.replicas).toHaveLength(1);
    expect(body.replicas[0]).toMatchObject({ nodes: ['gateway', 'immigration', 'criminal'], version: expect.stringMatching(/^\d+\.\d+\.\d+/), messageVersion: 1 });
  });
});
