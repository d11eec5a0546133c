import { parseArgs } from 'node:util';
import { readConfig, type Config } from '../../infra/config.ts';
import { deploymentKeys, startSystem, type ConcordSystem } from '../../app/concord-system.ts';
import { ALL_NODES, parseNodes, requireSharedServices } from '../../app/shared-services.ts';
import { waitForRepositories } from '../../app/wait-for-nodes.ts';
import { buildServer } from '../../api/server.ts';
import { startGatewayJobs } from '../../gateway/gateway-jobs.ts';
import { serveMetrics } from '../../infra/observability/metrics-server.ts';
import { ensureDemoPopulation, type DemoInfo } from '../../demo/demo-population.ts';
import { DEMO_PASSWORD } from '../../demo/demo-identities.ts';
import { populationSize, seedCriminalPopulation } from '../../demo/population-records.ts';
import { openNodeDatabase } from '../../infra/db/open-node-database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import { criminalMigrations } from '../../repositories/criminal/migrations.ts';
import { ConcordError } from '../../shared/errors.ts';

/**
 * `concord serve [--node gateway|immigration|criminal]... [--replica NAME] [--port N] [--demo] [--population N]`:
 * the whole system in one process (no --node), or some of its nodes, which then share
 * PostgreSQL, NATS and a key file with the other processes. Only a gateway serves HTTP. Once it
 * serves, the process prints one line `ready: nodes=… replica=… url=…` that scripts wait for.
 * `--population N` first fills the criminal repository with ten-print records of synthetic
 * people up to N fingers (kept by later starts), to see the system at scale.
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { demo: { type: 'boolean', default: false }, population: { type: 'string' }, port: { type: 'string' }, node: { type: 'string', multiple: true }, replica: { type: 'string' } },
  });
  const started = performance.now();
  const config = readConfig(process.env);
  if (values.port) config.port = Number(values.port);
  const nodes = parseNodes(values.node);
  const apart = nodes.length < ALL_NODES.length;
  requireSharedServices(config, nodes);
  const replica = values.replica ?? config.replica;
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const population = values.population === undefined ? 0 : populationFingers(values.population, nodes);
  say(`Concord starting ${apart ? `the ${nodes.join(', ')} node${nodes.length > 1 ? 's' : ''} (replica ${replica})` : 'all nodes'}: storage ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`}, bus ${config.natsUrl ? `NATS ${config.natsUrl}` : 'in-process'}`);
  if (population > 0) await ensurePopulation(config, population, say);
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

const POPULATION_POSITIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const MOST_POPULATION = 10_000_000;

function populationFingers(text: string, nodes: readonly string[]): number {
  const fingers = Number(text);
  if (!/^\d+$/.test(text) || fingers < 1 || fingers > MOST_POPULATION) {
    throw new ConcordError('BAD_ARGUMENT', `--population is a number of fingers from 1 to ${MOST_POPULATION.toLocaleString('en-US')}, got "${text}"`, { field: 'population' });
  }
  if (!nodes.includes('criminal')) throw new ConcordError('BAD_ARGUMENT', '--population fills the criminal repository: give it to a process that runs the criminal node', { field: 'population' });
  return fingers;
}

/** Writes the population's records the criminal database still lacks, before the node loads its gallery from them. */
async function ensurePopulation(config: Parameters<typeof startSystem>[0], fingers: number, say: (line: string) => void): Promise<void> {
  const db = await openNodeDatabase(config, 'criminal');
  try {
    await migrate(db, criminalMigrations);
    await db.withLock('demo-population', async () => {
      const subjects = Math.ceil(fingers / POPULATION_POSITIONS.length);
      const have = await populationSize(db);
      if (have >= subjects) return;
      const started = performance.now();
      say(`writing the population: ${(subjects - have).toLocaleString('en-US')} ten-print records of synthetic people (${have.toLocaleString('en-US')} already there)…`);
      let reported = 0;
      await seedCriminalPopulation(db, deploymentKeys(config), { from: have, to: subjects }, POPULATION_POSITIONS, (written) => {
        if (written - reported < 10_000 && have + written < subjects) return;
        reported = written;
        say(`  ${((have + written) * POPULATION_POSITIONS.length).toLocaleString('en-US')} fingers (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      });
    });
  } finally {
    await db.close();
  }
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
