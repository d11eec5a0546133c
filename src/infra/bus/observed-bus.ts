import { ConcordError } from '../../shared/errors.ts';
import type { AdmissionGate } from '../../shared/admission-gate.ts';
import { currentContext } from '../../shared/request-context.ts';
import { failureForLog } from '../observability/logger.ts';
import type { Telemetry } from '../observability/telemetry.ts';
import type { MessageBus } from './message-bus.ts';

/**
 * A node's view of the bus: every message it handles is timed, counted and logged (one line, in
 * the request context the message carried), and, when the node has an admission gate, a request
 * that carries a priority waits for a place there, interactive ahead of bulk, or is refused with
 * BUSY when its queue is full. Events are never refused (they are durable and must be handled);
 * they wait their turn as bulk work. Messages without a priority (health checks, lookups by
 * identifier, timers) are light and pass straight through.
 */
export function observedBus(bus: MessageBus, node: string, telemetry: Telemetry, gate?: AdmissionGate): MessageBus {
  const log = telemetry.log.child({ node });
  const observe = <P, R>(subject: string, kind: 'request' | 'event', consumer: string | undefined, handler: (payload: P) => Promise<R>) => async (payload: P): Promise<R> => {
    const started = performance.now();
    const context = currentContext();
    let code: string | undefined;
    try {
      const work = () => handler(payload);
      if (!gate || !context?.priority) return await work();
      return await gate.run(kind === 'event' ? 'bulk' : context.priority, work, { wait: kind === 'event' });
    } catch (error) {
      code = error instanceof ConcordError ? error.code : 'INTERNAL';
      if (!(error instanceof ConcordError)) log.error({ subject, consumer, requestId: context?.requestId, code, error: failureForLog(error) }, 'unexpected failure');
      throw error;
    } finally {
      const seconds = (performance.now() - started) / 1000;
      telemetry.metrics.busMessages.observe({ node, subject, kind, outcome: code ?? 'ok' }, seconds);
      const line = { subject, consumer, requestId: context?.requestId, tcn: context?.tcn, priority: context?.priority, outcome: code ? 'error' : 'ok', code, durationMs: Math.round(seconds * 10_000) / 10 };
      // Health checks come every few seconds from every gateway and load balancer.
      if (subject.endsWith('.health')) log.debug(line, 'message');
      else log.info(line, 'message');
    }
  };
  return {
    kind: bus.kind,
    request: (subject, payload, timeoutMs) => bus.request(subject, payload, timeoutMs),
    respond: (subject, handler) => bus.respond(subject, observe(subject, 'request', undefined, handler)),
    publish: (subject, payload) => bus.publish(subject, payload),
    consume: (subject, consumer, handler) => bus.consume(subject, consumer, observe(subject, 'event', consumer, handler)),
    consumerLag: () => bus.consumerLag(),
    // Broadcasts are heartbeats and nudges, many a minute: not logged one by one.
    broadcast: (subject, payload) => bus.broadcast(subject, payload),
    listen: (subject, handler) => bus.listen(subject, handler),
    // The bus belongs to the process, not to the node looking through this view.
    close: async () => {},
  };
}
