import { AckPolicy, connect, DeliverPolicy, headers as natsHeaders, JSONCodec, type MsgHdrs, type NatsConnection } from 'nats';
import { contextFromHeaders, contextHeaders, currentContext, runInContext, type RequestContext } from '../../shared/request-context.ts';
import { ConcordError } from '../../shared/errors.ts';
import { isWireError, type MessageBus } from './message-bus.ts';
import { toWireError } from './memory-bus.ts';

/**
 * NATS: request/reply over core NATS (queue groups, so several instances of a node share the
 * work), events over JetStream with durable consumers (an accepted event survives restarts of any
 * node and of the bus, and is acknowledged only after its handler succeeded). The request context
 * travels in each message's headers.
 */
export async function createNatsBus(url: string, options: { prefix?: string } = {}): Promise<MessageBus> {
  const prefix = options.prefix ?? 'concord';
  const stream = streamName(prefix);
  const nc: NatsConnection = await connect({ servers: url, name: `${prefix}-node` });
  const codec = JSONCodec();
  const jsm = await nc.jetstreamManager();
  const subjects = [`${prefix}.events.>`];
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({ name: stream, subjects });
  }
  const js = nc.jetstream();
  const stops: (() => void)[] = [];
  const consumed: { subject: string; consumer: string; durable: string }[] = [];

  return {
    kind: 'nats',
    async request<Reply>(subject: string, payload: unknown, timeoutMs = 10_000): Promise<Reply> {
      let message;
      try {
        message = await nc.request(`${prefix}.rpc.${subject}`, codec.encode(payload), { timeout: timeoutMs, headers: outgoingHeaders() });
      } catch {
        throw new ConcordError('NODE_UNAVAILABLE', `no node answered "${subject}" within ${timeoutMs} ms`, { subject });
      }
      const reply = codec.decode(message.data);
      if (isWireError(reply)) throw new ConcordError(reply.error.code, reply.error.message, reply.error.where ?? {});
      return reply as Reply;
    },
    async respond(subject, handler) {
      const subscription = nc.subscribe(`${prefix}.rpc.${subject}`, { queue: subject });
      const stop = () => subscription.unsubscribe();
      stops.push(stop);
      void (async () => {
        for await (const message of subscription) {
          void (async () => {
            let reply: unknown;
            try {
              reply = await runInContext(incomingContext(message.headers), () => handler(codec.decode(message.data)));
            } catch (error) {
              reply = toWireError(error);
            }
            message.respond(codec.encode(reply ?? null));
          })();
        }
      })();
      return stop;
    },
    async publish(subject, payload) {
      await js.publish(`${prefix}.events.${subject}`, codec.encode(payload), { headers: outgoingHeaders() });
    },
    async consume(subject, name, handler) {
      const durable = `${name}_${subject}`.replace(/[^A-Za-z0-9_-]/g, '_');
      try {
        await jsm.consumers.info(stream, durable);
      } catch {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          filter_subject: `${prefix}.events.${subject}`,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: 30_000_000_000,
        });
      }
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume();
      const entry = { subject, consumer: name, durable };
      consumed.push(entry);
      const stop = () => {
        void messages.stop();
        if (consumed.includes(entry)) consumed.splice(consumed.indexOf(entry), 1);
      };
      stops.push(stop);
      void (async () => {
        for await (const message of messages) {
          try {
            await runInContext(incomingContext(message.headers), () => handler(codec.decode(message.data)));
            message.ack();
          } catch {
            message.nak(1000);
          }
        }
      })();
      return stop;
    },
    async consumerLag() {
      return Promise.all(
        consumed.map(async ({ subject, consumer, durable }) => {
          const info = await jsm.consumers.info(stream, durable);
          return { subject, consumer, pending: info.num_pending + info.num_ack_pending };
        }),
      );
    },
    async close() {
      for (const stop of stops) stop();
      await nc.drain();
    },
  };
}

function outgoingHeaders(): MsgHdrs | undefined {
  const context = contextHeaders(currentContext());
  if (Object.keys(context).length === 0) return undefined;
  const headers = natsHeaders();
  for (const [name, value] of Object.entries(context)) headers.set(name, value);
  return headers;
}

function incomingContext(headers: MsgHdrs | undefined): RequestContext {
  return contextFromHeaders((name) => headers?.get(name) || undefined);
}

/** Removes a deployment's event stream (test runs clean up after themselves). */
export async function deleteNatsStream(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName(prefix)).catch(() => false);
  } finally {
    await nc.close();
  }
}

function streamName(prefix: string): string {
  return `${prefix.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_EVENTS`;
}
