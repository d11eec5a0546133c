import { AckPolicy, connect, DeliverPolicy, headers as natsHeaders, type MsgHdrs, type NatsConnection } from 'nats';
import { ConcordError } from '../../shared/errors.ts';
import { contextFromHeaders, contextHeaders, currentContext, runInContext, type RequestContext } from '../../shared/request-context.ts';
import { isWireError, type MessageBus } from './message-bus.ts';
import { toWireError } from './memory-bus.ts';
import { checkMessageVersion, MESSAGE_VERSION, MESSAGE_VERSION_HEADER } from './message-version.ts';
import { ensureEventStream } from './nats-stream.ts';
import { LargePayloads } from './nats-large-payloads.ts';

/**
 * NATS: request/reply over core NATS (queue groups, so several instances of a node share the
 * work), events over JetStream with durable consumers named per node kind (an accepted event
 * survives restarts of any node and of the bus, is handled by one replica of each kind, and is
 * acknowledged only after its handler succeeded), broadcasts over core NATS to every replica.
 * Every message carries its version and the request context (id, TCN, priority); payloads over
 * the server's limit go through the object store.
 */
export async function createNatsBus(url: string, options: { prefix?: string } = {}): Promise<MessageBus> {
  const prefix = options.prefix ?? 'concord';
  const stream = streamName(prefix);
  // A node outlives a restart of the NATS server: it keeps reconnecting for as long as it runs.
  const nc: NatsConnection = await connect({ servers: url, name: `${prefix}-node`, maxReconnectAttempts: -1 });
  try {
    await ensureEventStream(await nc.jetstreamManager(), stream, `${prefix}.events.>`);
  } catch (error) {
    await nc.close();
    throw error;
  }
  const jsm = await nc.jetstreamManager();
  const js = nc.jetstream();
  const large = new LargePayloads(nc, js, `${stream}_PAYLOADS`);
  const stops: (() => void)[] = [];
  const consumed: { subject: string; consumer: string; durable: string }[] = [];

  const encode = async (payload: unknown): Promise<{ data: Uint8Array; headers: MsgHdrs }> => {
    const headers = natsHeaders();
    headers.set(MESSAGE_VERSION_HEADER, String(MESSAGE_VERSION));
    for (const [name, value] of Object.entries(contextHeaders(currentContext()))) headers.set(name, value);
    return { data: await large.pack(new TextEncoder().encode(JSON.stringify(payload ?? null)), headers), headers };
  };
  const decode = async (subject: string, data: Uint8Array, headers: MsgHdrs | undefined, remove: boolean): Promise<unknown> => {
    checkMessageVersion(headers?.get(MESSAGE_VERSION_HEADER), subject);
    const bytes = await large.unpack(data, headers, { remove });
    return JSON.parse(new TextDecoder().decode(bytes));
  };

  return {
    kind: 'nats',
    async request<Reply>(subject: string, payload: unknown, timeoutMs = 10_000): Promise<Reply> {
      const { data, headers } = await encode(payload);
      let message;
      try {
        message = await nc.request(`${prefix}.rpc.${subject}`, data, { timeout: timeoutMs, headers });
      } catch {
        await large.discard(headers);
        throw new ConcordError('NODE_UNAVAILABLE', `no node answered "${subject}" within ${timeoutMs} ms`, { subject });
      }
      const reply = await decode(subject, message.data, message.headers, true);
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
              const payload = await decode(subject, message.data, message.headers, true);
              reply = await runInContext(incomingContext(message.headers), () => handler(payload));
            } catch (error) {
              reply = toWireError(error);
            }
            try {
              const answer = await encode(reply);
              message.respond(answer.data, { headers: answer.headers });
            } catch {
              // The reply cannot be sent (the connection is down): the requester times out and may ask again.
            }
          })();
        }
      })();
      return stop;
    },
    async publish(subject, payload) {
      try {
        const { data, headers } = await encode(payload);
        await js.publish(`${prefix}.events.${subject}`, data, { headers });
      } catch (error) {
        // Not stored, so not accepted (the server restarting, JetStream recovering): the caller may send it again.
        throw new ConcordError('BUS_UNAVAILABLE', `the message bus did not accept the event "${subject}": ${error instanceof Error ? error.message : String(error)}`, { subject });
      }
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
            const payload = await decode(subject, message.data, message.headers, false);
            await runInContext(incomingContext(message.headers), () => handler(payload));
            message.ack();
          } catch (error) {
            // An event in a version this replica cannot read waits for one that can (a rolling upgrade).
            if (error instanceof ConcordError && error.code === 'MESSAGE_VERSION') {
              process.stderr.write(`concord node: ${error.code}: ${error.message}\n`);
              message.nak(5000);
            } else message.nak(1000);
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
    async broadcast(subject, payload) {
      const { data, headers } = await encode(payload);
      nc.publish(`${prefix}.broadcast.${subject}`, data, { headers });
    },
    async listen(subject, handler) {
      const subscription = nc.subscribe(`${prefix}.broadcast.${subject}`);
      const stop = () => subscription.unsubscribe();
      stops.push(stop);
      void (async () => {
        for await (const message of subscription) {
          // A broadcast is a hint (a heartbeat, a nudge): one that cannot be read is dropped.
          void decode(subject, message.data, message.headers, false).then(handler).catch(() => undefined);
        }
      })();
      return stop;
    },
    async close() {
      for (const stop of stops) stop();
      await nc.drain();
    },
  };
}

function incomingContext(headers: MsgHdrs | undefined): RequestContext {
  return contextFromHeaders((name) => headers?.get(name) || undefined);
}

/** Removes a deployment's event stream and its large-payload objects (test runs clean up after themselves). */
export async function deleteNatsStream(url: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await nc.jetstreamManager();
    await jsm.streams.delete(streamName(prefix)).catch(() => false);
    await jsm.streams.delete(`OBJ_${streamName(prefix)}_PAYLOADS`).catch(() => false);
  } finally {
    await nc.close();
  }
}

export function streamName(prefix: string): string {
  return `${prefix.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_EVENTS`;
}
