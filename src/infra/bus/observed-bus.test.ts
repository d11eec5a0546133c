import { afterAll, describe, expect, it } from 'vitest';
import { AdmissionGate } from '../../shared/admission-gate.ts';
import { currentContext, runInContext, type RequestContext } from '../../shared/request-context.ts';
import { createTelemetry } from '../observability/telemetry.ts';
import { createMemoryBus } from './memory-bus.ts';
import type { MessageBus } from './message-bus.ts';
import { createNatsBus, deleteNatsStream } from './nats-bus.ts';
import { observedBus } from './observed-bus.ts';

/** A node's view of the bus, on the in-process bus and, when NATS_URL is set, on NATS JetStream. */
const prefix = `obs${process.pid}_${Date.now().toString(36)}`;
const buses: [string, () => Promise<MessageBus>][] = [['memory', async () => createMemoryBus()]];
if (process.env.NATS_URL) buses.push(['nats', () => createNatsBus(process.env.NATS_URL!, { prefix })]);
afterAll(async () => {
  if (process.env.NATS_URL) await deleteNatsStream(process.env.NATS_URL, prefix);
});

const limits = { concurrent: 1, queued: { interactive: 1, bulk: 1 }, retryAfterSeconds: 4 };
const within = <T>(context: RequestContext, work: () => Promise<T>) => runInContext(context, work);

describe.each(buses)('observed bus (%s)', (_kind, open) => {
  it('carries the request id, TCN and priority to the handler, for requests and durable events', async () => {
    const bus = await open();
    const telemetry = createTelemetry({ logLevel: 'info', replica: 'r1', logDestination: { write: () => undefined } });
    const node = observedBus(bus, 'criminal', telemetry);
    try {
      const seen: (RequestContext | undefined)[] = [];
      await node.respond('ctx.ask', async () => (seen.push({ ...currentContext()! }), 'ok'));
      let heard: (value: RequestContext) => void = () => undefined;
      const event = new Promise<RequestContext>((resolve) => (heard = resolve));
      await node.consume('ctx.told', 'ctx-consumer', async () => heard({ ...currentContext()! }));
      await within({ requestId: 'req-1', tcn: 'TCN-1', priority: 'interactive' }, async () => {
        await bus.request('ctx.ask', {});
        await bus.publish('ctx.told', {});
      });
      expect(seen[0]).toMatchObject({ requestId: 'req-1', tcn: 'TCN-1', priority: 'interactive' });
      expect(await event).toMatchObject({ requestId: 'req-1', tcn: 'TCN-1', priority: 'interactive' });
      // A message sent outside any request gets an id of its own and no priority.
      await bus.request('ctx.ask', {});
      expect(seen[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(seen[1]!.priority).toBeUndefined();
      expect(await bus.consumerLag()).toContainEqual({ subject: 'ctx.told', consumer: 'ctx-consumer', pending: 0 });
    } finally {
      await bus.close();
    }
  });

  it('admits interactive requests before queued bulk ones, and refuses beyond the bound with BUSY and a time to retry', async () => {
    const bus = await open();
    const telemetry = createTelemetry({ logLevel: 'silent', replica: 'r1' });
    const gate = new AdmissionGate('the criminal repository', limits);
    const node = observedBus(bus, 'criminal', telemetry, gate);
    try {
      const order: string[] = [];
      let unblock: () => void = () => undefined;
      const blocked = new Promise<void>((resolve) => (unblock = resolve));
      await node.respond('work', async (payload: { name: string }) => {
        order.push(payload.name);
        if (payload.name === 'first') await blocked;
        return payload.name;
      });
      const ask = (name: string, priority: 'interactive' | 'bulk') => within({ requestId: name, priority }, () => bus.request<string>('work', { name }));
      const first = ask('first', 'bulk');
      await until(() => gate.stats.running === 1);
      const bulk = ask('bulk', 'bulk');
      await until(() => gate.stats.queued.bulk === 1);
      const interactive = ask('interactive', 'interactive');
      await until(() => gate.stats.queued.interactive === 1);
      const refused = await ask('refused', 'bulk').catch((error: unknown) => error);
      expect(refused).toMatchObject({ code: 'BUSY', where: { retryAfter: 4, priority: 'bulk' } });
      unblock();
      expect(await Promise.all([first, bulk, interactive])).toEqual(['first', 'bulk', 'interactive']);
      expect(order).toEqual(['first', 'interactive', 'bulk']);
      expect(gate.stats.running).toBe(0);
      const metrics = await telemetry.metrics.registry.getSingleMetricAsString('concord_bus_message_duration_seconds');
      expect(metrics).toMatch(/_count\{node="criminal",subject="work",kind="request",outcome="BUSY"\} 1/);
      expect(metrics).toMatch(/_count\{node="criminal",subject="work",kind="request",outcome="ok"\} 3/);
    } finally {
      await bus.close();
    }
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let k = 0; k < 500 && !condition(); k++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
