import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestIdFrom, runInContext, type RequestContext } from '../shared/request-context.ts';
import type { Telemetry } from '../infra/observability/telemetry.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's context: its id, TCN and priority, carried into every message it sends. */
    concordContext?: RequestContext;
  }
}

/**
 * One log line and one metric observation per HTTP request, and the request context every message
 * it sends carries. A client may name its request (`x-request-id`, echoed back); otherwise the
 * gateway names it. Register before any hook that sends messages.
 */
export function observeRequests(app: FastifyInstance, telemetry: Telemetry): void {
  const log = telemetry.log.child({ node: 'gateway' });
  app.addHook('onRequest', (request, reply, done) => {
    const context: RequestContext = { requestId: requestIdFrom(request.headers['x-request-id']) };
    request.concordContext = context;
    void reply.header('x-request-id', context.requestId);
    runInContext(context, done);
  });
  // Reading a body runs on the socket's events, outside the context: enter it again before the hooks and handler.
  app.addHook('preValidation', (request, _reply, done) => {
    if (request.concordContext) runInContext(request.concordContext, done);
    else done();
  });
  app.addHook('onResponse', async (request, reply) => {
    const context = request.concordContext;
    const route = routeOf(request);
    const status = reply.statusCode;
    const outcome = status < 400 ? 'ok' : status < 500 ? 'refused' : 'failed';
    telemetry.metrics.httpRequests.observe({ route, method: request.method, status: String(status), outcome }, reply.elapsedTime / 1000);
    const line = {
      requestId: context?.requestId,
      method: request.method,
      route,
      status,
      outcome,
      code: context?.code,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
      tcn: context?.tcn,
      priority: context?.priority,
    };
    // Load balancers and monitors ask for /health every few seconds.
    if (route === '/health') log.debug(line, 'request');
    else log.info(line, 'request');
  });
}

/** The route's template, never the path as sent (it may hold an identifier, and would make endless metric labels). */
export function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}
