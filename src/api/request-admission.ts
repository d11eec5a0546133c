import type { FastifyInstance } from 'fastify';
import { AdmissionGate, type AdmissionLimits } from '../shared/admission-gate.ts';
import type { Priority } from '../shared/request-context.ts';
import { routeOf } from './request-telemetry.ts';

/**
 * Which routes do heavy work, and for whom. Interactive: a person waits in front of an officer
 * (at a port, in the field, at an examiner's desk). Bulk: bookings, EBTS transactions and
 * administrative batches, which may wait. Every other route is light (a lookup by identifier,
 * sign-in, health) and is not held at the gate.
 */
export const ROUTE_PRIORITY: Readonly<Record<string, Priority>> = {
  'POST /v1/identify': 'interactive',
  'POST /v1/encounters': 'interactive',
  'POST /v1/history': 'interactive',
  'POST /v1/compare': 'interactive',
  'POST /v1/minutiae': 'interactive',
  'POST /v1/bookings': 'bulk',
  'POST /v1/ebts': 'bulk',
  'POST /v1/admin/templates/reextract': 'bulk',
  'POST /v1/admin/keys/rotate': 'bulk',
};

/**
 * Admits each heavy request through the gateway's gate once its caller is known (register after
 * authentication, so a flood of bad credentials takes no place): interactive requests ahead of
 * bulk ones, and either refused at once with 503 BUSY and Retry-After beyond its queue's bound.
 * The place is freed when the answer has gone or the client has left; a client that leaves while
 * waiting gives up its place in the queue.
 */
export function admitRequests(app: FastifyInstance, limits: AdmissionLimits): AdmissionGate {
  const gate = new AdmissionGate('the gateway', limits);
  app.addHook('preValidation', async (request, reply) => {
    const priority = ROUTE_PRIORITY[`${request.method} ${routeOf(request)}`];
    if (!priority) return;
    if (request.concordContext) request.concordContext.priority = priority;
    const left = new AbortController();
    const leave = () => left.abort();
    reply.raw.once('close', leave);
    const release = await gate.admit(priority, { signal: left.signal });
    reply.raw.off('close', leave);
    if (reply.raw.writableFinished || reply.raw.destroyed) return release();
    reply.raw.once('close', release);
  });
  return gate;
}
