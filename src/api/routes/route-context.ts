import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Action, Requester } from '../../gateway/access.ts';
import type { ConcordSystem } from '../../app/concord-system.ts';
import type { Gateway, RetentionRules } from '../../gateway/gateway.ts';

/** What a route file needs: the app to register on, the gateway it calls, and the system for node-wide operations. */
export interface RouteContext {
  app: FastifyInstance;
  gateway: Gateway;
  system: ConcordSystem;
  options: { maxUploadBytes: number; retention?: RetentionRules };
}

/** The app with request types taken from each route's TypeBox schema. */
export const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>();

/** Route options: who may call it, checked before its body is validated or read. */
export const allow = (...actions: Action[]) => ({ config: { actions } });

/** What a client may know of the signed-in user. */
export function userView({ userId, name, ori, role, agencyType }: Requester) {
  return { id: userId, name, ori, role, agencyType };
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
