import { randomBytes } from 'node:crypto';
import { connect, headers, RetentionPolicy, StorageType } from 'nats';
import { afterAll, describe, expect, it } from 'vitest';
import type { MessageBus } from './message-bus.ts';
import { createNatsBus, deleteNatsStream, streamName } from './nats-bus.ts';
import { MESSAGE_VERSION_HEADER } from './message-version.ts';

/** The NATS bus against the machine's NATS JetStream, in streams of this run's own. */
const url = process.env.NATS_URL;
const prefixes: string[] = [];
const buses: MessageBus[] = [];

function prefix(): string {
  const name = `natsbus${process.pid}_${Date.now().toString(36)}_${prefixes.length}`;
  prefixes.push(name);
  return name;
}

async function bus(name: string): Promise<MessageBus> {
  const made = await createNatsBus(url!, { prefix: name });
  buses.push(made);
  return made;
}

afterAll(async () => {
  for (const made of buses) await made.close().catch(() => undefined);
  for (const name of prefixes) await deleteNatsStream(url!, name);
});

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe.skipIf(!url)('the NATS bus', () => {
  it('carries a ten-print-sized payload past the server limit, as a request, its reply and an event', async () => {
    const name = prefix();
    const gateway = await bus(name);
    const repository = await bus(name);
    const nc = await connect({ servers: url });
    const limit = nc.info!.max_payload;
    await nc.close();
    // Ten fingers of 1000 ppi WSQ-sized images in base64: several times the server's limit.
    const fingers = Array.from({ length: 10 }, (_, k) => ({ position: k + 1, image: randomBytes(Math.ceil((limit * 0.4) / 1.34)).toString('base64') }));
    expect(JSON.stringify(fingers).length).toBeGreaterThan(3 * limit);
    await repository.respond('criminal.book', async (request: { fingers: typeof fingers }) => ({ echoed: request.fingers }));
    const reply = await gateway.request<{ echoed: typeof fingers }>('criminal.book', { fingers }, 30_000);
    expect(reply.echoed).toEqual(fingers);
    const received: unknown[] = [];
    await repository.consume('booking.check', 'immigration-bookings', async (event) => void received.push(event));
    await gateway.publish('booking.check', { fingers });
    await until(() => received.length > 0, 20_000);
    expect(received).toEqual([{ fingers }]);
  }, 60_000);

  it('refuses a message in a version it cannot read, with a typed error', async () => {
    const name = prefix();
    const repository = await bus(name);
    await repository.respond('criminal.health', async () => ({ ok: true }));
    const nc = await connect({ servers: url });
    try {
      const stamped = headers();
      stamped.set(MESSAGE_VERSION_HEADER, '99');
      const answer = await nc.request(`${name}.rpc.criminal.health`, new TextEncoder().encode('{}'), { headers: stamped, timeout: 5000 });
      expect(JSON.parse(new TextDecoder().decode(answer.data))).toMatchObject({ error: { code: 'MESSAGE_VERSION', where: { subject: 'criminal.health', messageVersion: '99' } } });
      // Without the header (a release from before versions were stamped): the first version, read.
      const unstamped = await nc.request(`${name}.rpc.criminal.health`, new TextEncoder().encode('{}'), { timeout: 5000 });
      expect(JSON.parse(new TextDecoder().decode(unstamped.data))).toEqual({ ok: true });
    } finally {
      await nc.close();
    }
  });

  it('refuses to start on an event stream configured otherwise, naming each difference', async () => {
    const name = prefix();
    const nc = await connect({ servers: url });
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: streamName(name), subjects: [`${name}.events.>`], storage: StorageType.Memory, retention: RetentionPolicy.Workqueue });
    } finally {
      await nc.close();
    }
    const refused = await createNatsBus(url!, { prefix: name }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toMatchObject({ code: 'BUS_MISCONFIGURED' });
    expect((refused as Error).message).toContain('storage is memory, expected file');
    expect((refused as Error).message).toContain('retention is workqueue, expected limits');
  });

  it('hands each event to one replica of a node kind, spreads requests over replicas, and broadcasts to all', async () => {
    const name = prefix();
    const gateway = await bus(name);
    const replicas = [await bus(name), await bus(name)];
    const handled: number[][] = [[], []];
    const served = [0, 0];
    const heard = [0, 0];
    for (const [k, replica] of replicas.entries()) {
      await replica.consume('wanted.changed', 'immigration-watchlist', async (event: { n: number }) => void handled[k].push(event.n));
      await replica.respond('immigration.search', async () => ++served[k]);
      await replica.listen('gallery', () => void heard[k]++);
    }
    for (let n = 0; n < 40; n++) await gateway.publish('wanted.changed', { n });
    for (let n = 0; n < 40; n++) await gateway.request('immigration.search', {});
    await gateway.broadcast('gallery', { changed: true });
    await until(() => handled[0].length + handled[1].length >= 40 && heard.every((h) => h > 0));
    expect([...handled[0], ...handled[1]].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, n) => n));
    expect(served[0] + served[1]).toBe(40);
    expect(Math.min(...served)).toBeGreaterThan(0);
    expect(heard).toEqual([1, 1]);
  });
});
