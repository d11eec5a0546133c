import { parseArgs } from 'node:util';
import { readConfig, type Config } from '../../infra/config.ts';
import { startSystem, type ConcordSystem } from '../../app/concord-system.ts';
import { ALL_NODES, parseNodes, requireSharedServices } from '../../app/shared-services.ts';
import { waitForRepositories } from '../../app/wait-for-nodes.ts';
import { buildServer } from '../../api/server.ts';
import { startGatewayJobs } from '../../gateway/gateway-jobs.ts';
import { serveMetrics } from '../../infra/observability/metrics-server.ts';
import { ensureDemoPopulation, type DemoInfo } from '../../demo/demo-population.ts';
import { DEMO_PASSWORD } from '../../demo/demo-identities.ts';

/**
 * `concord serve [--node gateway|immigration|criminal]... [--replica NAME] [--port N] [--demo]`:
 * the whole system in one process (no --node), or some of its nodes, which then share
 * PostgreSQL, NATS and a key file with the other processes. Only a gateway serves HTTP. Once it
 * serves, the process prints one line `ready: nodes=… replica=… url=…` that scripts wait for.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { demo: { type: 'boolean', default: false }, port: { type: 'string' }, node: { type: 'string', multiple: true }, replica: { type: 'string' } },
  });
  const started = performance.now();
  const config = readConfig(process.env);
  if (values.port) config.port = Number(values.port);
  const nodes = parseNodes(values.node);
  const apart = nodes.length < ALL_NODES.length;
  requireSharedServices(config, nodes);
  const replica = values.replica ?? config.replica;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Concord starting ${apart ? `the ${nodes.join(', ')} node${nodes.length > 1 ? 's' : ''} (replica ${replica})` : 'all nodes'}: storage ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`}, bus ${config.natsUrl ? `NATS ${config.natsUrl}` : 'in-process'}`);
  const system = await startSystem(config, { nodes, replica });
  const stopping: (() => Promise<unknown>)[] = [];
  let stopped = false;
  const stop = async () => {
    stopped = true;
    for (const close of stopping.reverse()) await close().catch(() => undefined);
    await system.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Every process, a repository's too, serves its own metrics when a port is configured.
  if (config.metricsPort !== undefined) {
    const metrics = await serveMetrics(system.telemetry.metrics.registry, { host: config.host, port: config.metricsPort });
    stopping.push(() => metrics.close());
    say(`  metrics: http://${config.host}:${metrics.port}/metrics`);
  }

  let url = 'none';
  let demo: DemoInfo | undefined;
  if (system.gateway) {
    const jobs = startGatewayJobs(system.gateway, { replica, leaseSeconds: config.leaseSeconds, retention: config.retention, log: say });
    stopping.push(() => jobs.stop());
    const app = await buildServer(system, { maxUploadBytes: config.maxUploadBytes, rateLimits: config.rateLimits, retention: config.retention, admission: config.admission.gateway });
    stopping.push(() => app.close());
    if (values.demo) {
      // Seeding goes through the repositories: when they run elsewhere, wait until they answer.
      if (apart) await waitForRepositories(system.bus, say);
      const gatewayDb = system.databases.gateway!;
      // Stopped while seeding: the seeding's failure on the closed database is no news.
      demo = await gatewayDb
        .withLock('demo-population', () => ensureDemoPopulation(system.gateway!, gatewayDb, config.dataDir ?? '.data', say))
        .catch((error: unknown) => (stopped ? new Promise<never>(() => {}) : Promise.reject(error)));
    }
    await app.listen({ host: config.host, port: config.port });
    url = `http://${config.host}:${config.port}`;
    say(`\nConcord is ready at ${url} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    say(`  API description: ${url}/openapi.json   health: ${url}/health`);
  }
  const refused = system.refusedTemplates();
  if (refused.length > 0) {
    say(`\nWARNING: ${refused.length} stored fingerprint template(s) failed their integrity check and are left out of every search:`);
    for (const binding of refused.slice(0, 20)) say(`  ${binding}`);
  }
  if (demo) printDemo(demo, url, say);
  say(`ready: nodes=${nodes.join(',')} replica=${replica} url=${url}`);
  await new Promise(() => {}); // serve until stopped
  return 0;
}

function printDemo(demo: DemoInfo, url: string, say: (line: string) => void): void {
  say('\nDemo systems\' API tokens, one beside each demo user (send as "Authorization: Bearer <token>"):');
  for (const u of demo.users) say(`  ${u.token.padEnd(14)} ${u.name.padEnd(22)} ${u.role.padEnd(20)} ${u.ori}`);
  say(`\nPortal: ${url}/ — sign in as user "${demo.users[0].id}" (or any id above without "demo-"), password "${DEMO_PASSWORD}",`);
  say('and the one-time code of the user\'s secret in an authenticator app (RFC 6238, 30 s, 6 digits):');
  for (const u of demo.users) say(`  ${u.id.padEnd(10)} ${u.totpSecret}`);
  const wanted = demo.probes.find((p) => p.label.startsWith('wanted'));
  if (wanted) {
    say(`\nTry a rapid identification of a wanted demo subject (synthetic prints, red):`);
    say(`  curl -s -H 'Authorization: Bearer demo-field' ${wanted.files.map((f, k) => `-F finger_${[2, 7][k]}=@${f}`).join(' ')} '${url}/v1/identify?purpose=C'`);
    say(`  more probe prints: ${demo.probes.length} subjects under ${wanted.files[0].replace(/\/[^/]+$/, '/')}`);
  }
}
