import { Type } from '@sinclair/typebox';
import { ActorId, BearerHeaders, BoundedInteger, ClientAddress, NoParameters, Ori, QueryFlag, Strict, Text, Timestamp } from '../schemas/common.ts';
import { allow, typed, type RouteContext } from './route-context.ts';

export const AuditQuery = Strict({
  subject: Type.Optional(Text(64, { description: 'a record identifier the event touched: FBI number, FIN, warrant, TCN' })),
  user: Type.Optional(ActorId),
  ori: Type.Optional(Ori),
  client: Type.Optional(ClientAddress),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  disclosures: Type.Optional(QueryFlag),
  limit: Type.Optional(BoundedInteger(1, 10_000, { description: 'at most 500 records are returned' })),
});

/** The privacy officer's tools and the operational figures. */
export function registerAuditRoutes({ app, gateway }: RouteContext): void {
  const api = typed(app);

  api.get('/v1/audit/verify', {
    ...allow('audit.read'),
    schema: { summary: 'Verify the hash chain of the audit trail: every break, and each break a signed repair entry covers (privacy officer)', tags: ['audit'], headers: BearerHeaders, querystring: NoParameters },
  }, async (request) => gateway.verifyAudit(request.requester!));

  // A record broken by a fault, not by tampering, is covered by a signed repair entry naming it.
  api.post('/v1/audit/repairs', {
    ...allow('audit.repair'),
    schema: {
      summary: 'Append a signed repair entry for an audit record a fault broke (privacy officer); audited',
      tags: ['audit'],
      headers: BearerHeaders,
      querystring: NoParameters,
      body: Strict({ record: BoundedInteger(1, Number.MAX_SAFE_INTEGER, { description: 'the broken record\'s sequence number' }), cause: Text(200, { description: 'why the record broke' }) }),
    },
  }, async (request, reply) => reply.status(201).send(await gateway.repairAudit(request.requester!, request.body.record, request.body.cause)));

  api.get('/v1/audit', {
    ...allow('audit.read'),
    schema: { summary: 'Search the audit trail by subject, user, agency, client address and period, newest first (privacy officer); the search is audited', tags: ['audit'], headers: BearerHeaders, querystring: AuditQuery },
  }, async (request) => {
    const q = request.query;
    return gateway.searchAudit(request.requester!, {
      subject: q.subject,
      user: q.user,
      ori: q.ori,
      client: q.client,
      from: q.from ? new Date(q.from).toISOString() : undefined,
      to: q.to ? new Date(q.to).toISOString() : undefined,
      disclosuresOnly: q.disclosures === 'true',
      limit: q.limit,
    });
  });

  api.get('/v1/metrics', {
    ...allow('metrics.read'),
    schema: { summary: 'Operational figures without personal data', tags: ['audit'], headers: BearerHeaders, querystring: Strict({ days: Type.Optional(BoundedInteger(1, 366, { description: 'days back, 14 by default' })) }) },
  }, async (request) => gateway.metrics(request.requester!, request.query.days ?? 14));
}
