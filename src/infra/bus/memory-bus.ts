import { ConcordError } from '../../shared/errors.ts';
import { contextFromHeaders, contextHeaders, currentContext, runInContext } from '../../shared/request-context.ts';
import { isWireError, type MessageBus, type WireError } from './message-bus.ts';

/**
 * In-process bus for the embedded default, with the NATS bus's semantics: JSON copies of
 * payloads, errors as values, and events kept in a per-subject log that each named consumer
 * reads from its own position — so a consumer that starts late (a node that was down) still
 * receives every event published meanwhile. The request context crosses as headers would, so a
 * handler runs in a context of its own as it would in another process. Nothing survives the process.
 */
interface Consumer {
  /** Undefined while the consuming node is down; its position is kept for its return. */
  handler?: (payload: unknown) => Promise<void>;
  position: number;
  busy: boolean;
}

export function createMemoryBus(): MessageBus {
  const responders = new Map<string, (payload: unknown) => Promise<unknown>>();
  const logs = new Map<string, { payload: unknown; headers: Record<string, string> }[]>();
  const consumers = new Map<string, Map<string, Consumer>>();
  const listeners = new Map<string, Set<(payload: unknown) => Promise<void> | void>>();
  let closed = false;

  const drain = async (subject: string, consumer: Consumer) => {
    if (consumer.busy) return;
    consumer.busy = true;
    const log = logs.get(subject) ?? [];
    while (consumer.position < log.length && !closed && consumer.handler) {
      try {
        const { payload, headers } = log[consumer.position];
        await runInContext(contextFromHeaders((name) => headers[name]), () => consumer.handler!(JSON.parse(JSON.stringify(payload))));
        consumer.position++;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200)); // retried, as a redelivery would be
      }
    }
    consumer.busy = false;
  };

  return {
    kind: 'memory',
    async request<Reply>(subject: string, payload: unknown): Promise<Reply> {
      const responder = responders.get(subject);
      if (!responder || closed) throw new ConcordError('NODE_UNAVAILABLE', `no node answers "${subject}"`, { subject });
      const headers = contextHeaders(currentContext());
      const reply = await runInContext(contextFromHeaders((name) => headers[name]), () => responder(JSON.parse(JSON.stringify(payload))));
      if (isWireError(reply)) throw new ConcordError(reply.error.code, reply.error.message, reply.error.where ?? {});
      return JSON.parse(JSON.stringify(reply ?? null)) as Reply;
    },
    async respond(subject, handler) {
      const responder = async (payload: unknown) => {
        try {
          return await handler(payload);
        } catch (error) {
          return toWireError(error);
        }
      };
      responders.set(subject, responder);
      return () => {
        if (responders.get(subject) === responder) responders.delete(subject);
      };
    },
    async publish(subject, payload) {
      const log = logs.get(subject) ?? [];
      log.push({ payload: JSON.parse(JSON.stringify(payload)), headers: contextHeaders(currentContext()) });
      logs.set(subject, log);
      for (const consumer of consumers.get(subject)?.values() ?? []) void drain(subject, consumer);
    },
    async consume(subject, name, handler) {
      const named = consumers.get(subject) ?? new Map<string, Consumer>();
      const consumer = named.get(name) ?? { position: 0, busy: false };
      consumer.handler = handler;
      named.set(name, consumer);
      consumers.set(subject, named);
      void drain(subject, consumer);
      return () => {
        if (consumer.handler === handler) consumer.handler = undefined;
      };
    },
    async consumerLag() {
      const lag = [];
      for (const [subject, named] of consumers) {
        for (const [consumer, state] of named) if (state.handler) lag.push({ subject, consumer, pending: (logs.get(subject)?.length ?? 0) - state.position });
      }
      return lag;
    },
    async broadcast(subject, payload) {
      for (const listener of listeners.get(subject) ?? []) void Promise.resolve(JSON.parse(JSON.stringify(payload ?? null))).then(listener).catch(() => undefined);
    },
    async listen(subject, handler) {
      const set = listeners.get(subject) ?? new Set();
      set.add(handler);
      listeners.set(subject, set);
      return () => void set.delete(handler);
    },
    async close() {
      closed = true;
      listeners.clear();
      responders.clear();
    },
  };
}

/**
 * A responder's failure as it travels back. Only a ConcordError says what went wrong; anything
 * else (a database's own error, a bug) crosses the bus as INTERNAL with a fixed message, so no
 * library's or database's text reaches a client. The node that raised it logs it (observed-bus.ts).
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof ConcordError) return { error: error.toJSON() };
  return { error: { code: 'INTERNAL', message: 'internal error' } };
}
