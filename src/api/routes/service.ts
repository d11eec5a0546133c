import { NoParameters } from '../schemas/common.ts';
import { typed, type RouteContext } from './route-context.ts';

/** What anyone may ask without signing in: the node's health and the API's description. */
export function registerServiceRoutes({ app, gateway, system }: RouteContext): void {
  const api = typed(app);

  api.get('/openapi.json', { schema: { summary: 'This document', tags: ['service'], security: [], querystring: NoParameters } }, async () => app.swagger());

  api.get('/health', { schema: { summary: 'Health of each node, its database and the bus (503 when a node is down), and every replica heard on the bus with its version', tags: ['service'], security: [], querystring: NoParameters } }, async (_request, reply) => {
    const check = async (subject: string) => system.bus.request(subject, {}, 2000).then(() => 'up', () => 'down');
    const database = await gateway.database.query('SELECT 1').then(() => 'up', () => 'down');
    const nodes = { gateway: database, immigration: await check('immigration.health'), criminal: await check('criminal.health') };
    const healthy = Object.values(nodes).every((s) => s === 'up');
    // Templates refused at start (altered or moved in the database) are counted, never named, here.
    const refusedTemplates = Math.max(system.refusedTemplates().length, system.presence?.refusedTemplates() ?? 0);
    // Every replica of every node heard on the bus, with its release and message version.
    const replicas = (system.presence?.replicas() ?? []).map(({ replica, nodes, version, messageVersion, startedAt, lastSeen }) => ({ replica, nodes, version, messageVersion, startedAt, lastSeen }));
    return reply.status(healthy ? 200 : 503).send({ status: healthy ? 'ok' : 'degraded', nodes, replicas, bus: system.bus.kind, database: gateway.database.kind, refusedTemplates });
  });
}
