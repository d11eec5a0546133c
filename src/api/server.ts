import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import { ConcordError } from '../shared/errors.ts';
import type { ConcordSystem } from '../app/concord-system.ts';
import { mayPerform, type Action, type Requester } from '../gateway/access.ts';
import type { Gateway, RetentionRules } from '../gateway/gateway.ts';
import { DEFAULT_RATE_LIMITS, FailureLimiter, RateLimiter, type RateLimits } from '../gateway/rate-limit.ts';
import { httpStatusFor } from './http-status.ts';
import { MULTIPART_LIMITS } from './multipart.ts';
import { capturePoolGate, startCapturePool } from '../app/capture-pool.ts';
import { readConfig } from '../infra/config.ts';
import { failureForLog } from '../infra/observability/logger.ts';
import type { AdmissionLimits } from '../shared/admission-gate.ts';
import { observeRequests } from './request-telemetry.ts';
import { admitRequests } from './request-admission.ts';
import { registerPortal } from './portal-routes.ts';
import { invalidValue, validatorCompiler } from './schemas/validator.ts';
import { bearerToken, type RouteContext } from './routes/route-context.ts';
import { registerServiceRoutes } from './routes/service.ts';
import { registerSessionRoutes } from './routes/session.ts';
import { registerIdentificationRoutes } from './routes/identification.ts';
import { registerHistoryRoutes } from './routes/history.ts';
import { registerRecordRoutes } from './routes/records.ts';
import { registerAuditRoutes } from './routes/audit.ts';
import { registerAdminRoutes } from './routes/admin.ts';

declare module 'fastify' {
  interface FastifyRequest {
    requester?: Requester;
  }
  interface FastifyContextConfig {
    /** The route serves requesters whose role may take one of these actions. */
    actions?: readonly Action[];
  }
}

/**
 * The HTTP API: thin — check the request against its route's schema, call the gateway, render.
 * Each area's routes, with their schemas, live in `routes/`; the OpenAPI document is generated
 * from those schemas.
 */
export interface ServerOptions {
  maxUploadBytes: number;
  rateLimits?: RateLimits;
  retention?: RetentionRules;
  /** The gateway's admission of heavy requests under overload; by default the configuration's defaults. */
  admission?: AdmissionLimits;
}

export async function buildServer(system: ConcordSystem, options: ServerOptions): Promise<FastifyInstance> {
  const gateway = system.gateway;
  if (!gateway) throw new Error('the HTTP API needs the gateway node');
  // Uploads are decoded on worker threads; the first request must not pay for starting them.
  await startCapturePool();
  return createApp(gateway, system, options);
}

/** The app with every route, hook and schema; its handlers call `gateway` and `system` only when a request comes. */
export async function createApp(gateway: Gateway, system: ConcordSystem, options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a malformed or overlong path) in the API's error shape, without echoing the path.
    frameworkErrors: (error, _request, reply) => {
      const refusal = new ConcordError('BAD_REQUEST', error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'a path parameter is too long' : 'the path cannot be read', {});
      void (reply as FastifyReply).code(400).send({ error: refusal.toJSON() });
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  observeRequests(app, system.telemetry);
  const log = system.telemetry.log.child({ node: 'gateway' });
  await app.register(multipart, { limits: MULTIPART_LIMITS });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Concord', version: '0.1.0', description: 'Biometric identity interoperability: immigration and criminal repositories behind one gateway.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'API token of a registered system, session token, or a registered system’s signed JWT' } } },
      security: [{ bearer: [] }],
    },
  });

  const admission = options.admission ?? readConfig({}).admission.gateway;
  // Counted in the gateway's database: every gateway process behind a load balancer shares the limits.
  const limiter = new RateLimiter(gateway.database, 'requests', options.rateLimits ?? DEFAULT_RATE_LIMITS);
  // Failed credentials per client address: a flood of guessed tokens is refused before it is looked up or audited.
  const failedCredentials = new FailureLimiter(gateway.database);
  app.setErrorHandler(async (error, request, reply) => {
    const concord = toConcordError(error, (unexpected) => log.error({ requestId: request.concordContext?.requestId, code: 'INTERNAL', error: failureForLog(unexpected) }, 'unexpected failure'));
    if (request.concordContext) request.concordContext.code = concord.code;
    // Every refusal and failure of an authenticated request is audited under its route's action, naming the record in
    // its path and the TCN it carried (once: the gateway skips what it recorded itself). A flood refused by the rate limit
    // or by admission under overload is not: auditing it would add a write per refusal just when there is least room.
    if (request.requester && concord.code !== 'RATE_LIMITED' && concord.code !== 'BUSY') {
      const params = request.params as Record<string, unknown> | undefined;
      const query = request.query as Record<string, unknown> | undefined;
      await gateway.recordFailure(request.requester, request.routeOptions.config?.actions?.[0] ?? 'request', error, {
        code: concord.code,
        recordIds: typeof params?.id === 'string' || typeof params?.id === 'number' ? [String(params.id)] : [],
        purpose: typeof query?.purpose === 'string' ? query.purpose : undefined,
        tcn: typeof concord.where.tcn === 'string' ? concord.where.tcn : undefined,
      }).catch(() => undefined); // an audit trail that cannot be written must not hide the answer
    }
    const retryAfter = concord.where.retryAfter ?? (concord.code === 'BUSY' ? admission.retryAfterSeconds : undefined);
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    return reply.status(httpStatusFor(concord.code)).send({ error: concord.toJSON() });
  });
  app.setNotFoundHandler((request, reply) => {
    if (request.concordContext) request.concordContext.code = 'NOT_FOUND';
    void reply.status(404).send({ error: { code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0].slice(0, 200)}`, where: {} } });
  });

  // Before the schemas are checked: an unauthenticated or unauthorised caller learns nothing of what a route accepts.
  app.addHook('preValidation', async (request) => {
    // The matched route, not the raw URL: a percent-encoded path must not slip past authentication.
    if (!request.routeOptions.url?.startsWith('/v1/')) return;
    await failedCredentials.check(request.ip);
    let requester;
    try {
      requester = await gateway.authenticate(bearerToken(request), request.ip);
    } catch (error) {
      if (await failedCredentials.fail(request.ip)) await gateway.recordThrottled(request.ip);
      throw error;
    }
    request.requester = requester;
    await limiter.take(requester.userId, requester.ori);
    // Refused before any upload is read or decoded; the gateway audits the refusal, naming the path's identifiers.
    const actions = request.routeOptions.config?.actions;
    if (actions && !actions.some((action) => mayPerform(requester, action))) await gateway.authorize(requester, actions[0], undefined, Object.values((request.params ?? {}) as Record<string, string>));
  });
  system.telemetry.metrics.watchGate('gateway', admitRequests(app, admission));
  system.telemetry.metrics.watchGate('capture', capturePoolGate);

  const context: RouteContext = { app, gateway, system, options };
  registerServiceRoutes(context);
  registerPortal(app);
  registerSessionRoutes(context);
  registerIdentificationRoutes(context);
  registerHistoryRoutes(context);
  registerRecordRoutes(context);
  registerAuditRoutes(context);
  registerAdminRoutes(context);
  return app;
}

/** Any failure as the API reports it: a ConcordError as it is, a refused value as BAD_REQUEST, the unexpected as INTERNAL. */
function toConcordError(error: unknown, reportUnexpected: (error: unknown) => void): ConcordError {
  if (error instanceof ConcordError) return error;
  const e = error as { code?: string; statusCode?: number; validation?: { instancePath?: string; message?: string }[]; validationContext?: string };
  if (e.validation) {
    const [first] = e.validation;
    const path = first?.instancePath || (e.validationContext === 'body' ? '' : `/${e.validationContext ?? ''}`);
    return invalidValue({ path, message: first?.message ?? 'invalid' });
  }
  if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) return new ConcordError('PAYLOAD_TOO_LARGE', 'request too large', {});
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return new ConcordError('BAD_REQUEST', FRAMEWORK_MESSAGES[e.code ?? ''] ?? 'the request cannot be read', e.code ? { reason: e.code } : {});
  reportUnexpected(error);
  return new ConcordError('INTERNAL', 'internal error', {});
}

/** What the framework's own refusals mean, in words that do not echo the request. */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported Content-Type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'the JSON body is empty',
  FST_ERR_CTP_INVALID_JSON_BODY: 'the body is not valid JSON',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'expected a multipart/form-data body',
  FST_PARTS_LIMIT: 'too many parts',
  FST_FILES_LIMIT: 'too many files',
  FST_FIELDS_LIMIT: 'too many fields',
  FST_PROTO_VIOLATION: 'a part name is not allowed',
};
