import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../../infra/config.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { openExistingNodeDatabase } from '../../infra/db/open-node-database.ts';
import { createNatsBus } from '../../infra/bus/nats-bus.ts';
import { observedBus } from '../../infra/bus/observed-bus.ts';
import { serveMetrics } from '../../infra/observability/metrics-server.ts';
import { createTelemetry } from '../../infra/observability/telemetry.ts';
import { MatcherShard } from '../../repositories/shared/matcher-shard.ts';
import { parseShardId } from '../../repositories/shared/gallery-shards.ts';
import { ConcordError } from '../../shared/errors.ts';

/**
 * `concord matcher --repository criminal --shard k/N [--workers W]`: one shard of a repository's
 * gallery, searched over NATS, on the repository's PostgreSQL and key file (the same
 * DATABASE_URL, NATS_URL, CONCORD_SCHEMA_PREFIX and CONCORD_KEY_FILE as the repository node).
 */
export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { repository: { type: 'string' }, shard: { type: 'string' }, workers: { type: 'string' } } });
  if (values.repository !== 'criminal') throw new ConcordError('BAD_ARGUMENT', `--repository must be "criminal" (the sharded gallery), not "${values.repository ?? ''}"`, { repository: values.repository ?? '' });
  if (!values.shard) throw new ConcordError('BAD_ARGUMENT', '--shard k/N is required (e.g. --shard 0/2)', { shard: '' });
  const shard = parseShardId(values.shard);
  const workers = values.workers === undefined ? availableParallelism() : Number(values.workers);
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) throw new ConcordError('BAD_ARGUMENT', `--workers must be a whole number from 0 to 256, not "${values.workers}"`, { workers: String(values.workers) });
  const config = readConfig(process.env);
  if (!config.natsUrl) throw new ConcordError('BAD_CONFIG', 'a matcher process is searched over NATS: set NATS_URL', { variable: 'NATS_URL' });
  // Never a fresh key: one the templates were not sealed with would refuse every one of them.
  const keyFile = config.keyFile ?? (config.dataDir ? join(config.dataDir, 'keys.json') : undefined);
  if (!keyFile || !existsSync(keyFile)) throw new ConcordError('BAD_CONFIG', `the repository's key file ${keyFile ?? '(none)'} is not there: set CONCORD_KEY_FILE to the file the criminal node uses`, { variable: 'CONCORD_KEY_FILE' });
  const db = await openExistingNodeDatabase(config, values.repository);
  if (!db) throw new ConcordError('NOT_FOUND', `the ${values.repository} repository's database is not there yet: start the repository node first`, { repository: values.repository });
  const bus = await createNatsBus(config.natsUrl, { prefix: config.schemaPrefix });
  const started = performance.now();
  const telemetry = createTelemetry({ logLevel: config.logLevel, replica: config.replica });
  const matcher = await MatcherShard.start(db, observedBus(bus, `${values.repository}-matcher`, telemetry), KeyRing.fromFile(keyFile), { repository: values.repository, shard, workers });
  telemetry.metrics.watch({
    galleries: () => [{ node: `${values.repository}-matcher`, gallery: `shard-${shard.index}-of-${shard.count}`, templates: matcher.fingers }],
    pools: () => (db.connections ? [{ node: `${values.repository}-matcher`, ...db.connections() }] : []),
    consumerLag: () => bus.consumerLag(),
  });
  const metrics = config.metricsPort === undefined ? undefined : await serveMetrics(telemetry.metrics.registry, { host: config.host, port: config.metricsPort });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(`matcher ${values.repository} shard ${shard.index}/${shard.count} ready: ${matcher.subjects} subjects, ${matcher.fingers} fingers, loaded in ${seconds} s\n`);
  if (matcher.refusedTemplates.length > 0) {
    process.stdout.write(`WARNING: ${matcher.refusedTemplates.length} stored template(s) failed their integrity check and are left out of this shard:\n`);
    for (const binding of matcher.refusedTemplates.slice(0, 20)) process.stdout.write(`  ${binding}\n`);
  }
  const stop = async () => {
    await metrics?.close();
    await matcher.close();
    await bus.close();
    await db.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => {}); // serve until stopped
  return 0;
}
