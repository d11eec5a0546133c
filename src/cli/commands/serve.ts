import { parseArgs } from 'node:util';
import { readConfig } from '../../infra/config.ts';
import { startSystem } from '../../app/concord-system.ts';
import { buildServer } from '../../api/server.ts';
import { serveMetrics } from '../../infra/observability/metrics-server.ts';
import { ensureDemoPopulation } from '../../demo/demo-population.ts';
import { DEMO_PASSWORD } from '../../demo/demo-identities.ts';

/** `concord serve [--demo]`: the whole system in one process, on the embedded default unless configured. */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean', default: false }, port: { type: 'string' } } });
  const started = performance.now();
  const config = readConfig(process.env);
  if (values.port) config.port = Number(values.port);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Concord starting: storage ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite (${config.dataDir})`}, bus ${config.natsUrl ? `NATS ${config.natsUrl}` : 'in-process'}`);
  const system = await startSystem(config);
  const metrics = config.metricsPort === undefined ? undefined : await serveMetrics(system.telemetry.metrics.registry, { host: config.host, port: config.metricsPort });
  const app = await buildServer(system, { maxUploadBytes: config.maxUploadBytes, rateLimits: config.rateLimits, retention: config.retention, admission: config.admission.gateway });
  // The daily retention purge (it also runs on demand: POST /v1/admin/retention/run).
  const purge = setInterval(() => {
    system.gateway?.runRetention(undefined, config.retention).catch((error: unknown) => say(`retention purge failed: ${error instanceof Error ? error.message : String(error)}`));
  }, 24 * 60 * 60 * 1000);
  purge.unref();
  // Unanswered hit confirmations: a second request, then escalation (domain brief 5.6).
  const escalation = setInterval(() => {
    system.gateway?.escalateOverdueConfirmations().catch((error: unknown) => say(`hit-confirmation escalation failed: ${error instanceof Error ? error.message : String(error)}`));
  }, 60 * 1000);
  escalation.unref();
  const demo = values.demo ? await ensureDemoPopulation(system.gateway!, system.databases.gateway!, config.dataDir ?? '.data', say) : undefined;
  await app.listen({ host: config.host, port: config.port });
  const url = `http://${config.host}:${config.port}`;
  say(`\nConcord is ready at ${url} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  say(`  API description: ${url}/openapi.json   health: ${url}/health`);
  if (metrics) say(`  metrics: http://${config.host}:${metrics.port}/metrics`);
  const refused = system.refusedTemplates();
  if (refused.length > 0) {
    say(`\nWARNING: ${refused.length} stored fingerprint template(s) failed their integrity check and are left out of every search:`);
    for (const binding of refused.slice(0, 20)) say(`  ${binding}`);
  }
  if (demo) {
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
  const stop = async () => {
    await app.close();
    await metrics?.close();
    await system.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => {}); // serve until stopped
  return 0;
}
