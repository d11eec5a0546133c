/**
 * The criminal gallery in one process beside the same gallery split over two matcher processes
 * (`concord matcher --shard k/2`), on PostgreSQL and NATS (DATABASE_URL and NATS_URL must be
 * set). Both load the same stored templates from the repository's database; the searches are
 * genuine two-finger probes (a stored subject's fingers moved, rotated, thinned and jittered),
 * so the mate found says the split lost nothing.
 *
 *   npm run bench -- shards [--fingers 20000] [--probes 20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { readConfig, type Config } from '../src/infra/config.ts';
import { KeyRing } from '../src/infra/crypto/key-ring.ts';
import { createNatsBus } from '../src/infra/bus/nats-bus.ts';
import { openNodeDatabase } from '../src/infra/db/open-node-database.ts';
import { seededRandom } from '../src/biometrics/synthetic/random.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { loadGallery } from '../src/repositories/shared/identification.ts';
import { inProcessGallery, type NodeGallery } from '../src/repositories/shared/node-gallery.ts';
import { ShardedGallery } from '../src/repositories/shared/sharded-gallery.ts';
import { dropDeploymentData } from '../src/testing/test-system.ts';
import { benchFbiNumber, seedCriminalGallery, seededFinger } from './criminal-gallery.ts';
import { perturb } from './gallery-templates.ts';
import { formatTable, type Row } from './table.ts';

const POSITIONS = [2, 7];
const BIN = new URL('../bin/concord.mjs', import.meta.url).pathname;

export async function runShardsBench(values: Record<string, string | true> = {}): Promise<Row[]> {
  const options = { fingers: values.fingers ? Number(values.fingers) : undefined, probes: values.probes ? Number(values.probes) : undefined };
  if (!process.env.DATABASE_URL || !process.env.NATS_URL) throw new Error('the shards bench runs matcher processes on PostgreSQL and NATS: set DATABASE_URL and NATS_URL');
  const fingers = options.fingers ?? 20_000;
  const subjects = Math.ceil(fingers / POSITIONS.length);
  const probeCount = options.probes ?? 20;
  const dataDir = await mkdtemp(join(tmpdir(), 'concord-shards-bench-'));
  const config: Config = { ...readConfig(process.env), dataDir, keyFile: join(dataDir, 'keys.json'), schemaPrefix: `bench_shards_${Date.now().toString(36)}` };
  const keys = KeyRing.fromFile(config.keyFile!);
  const rows: Row[] = [];
  const children: ChildProcess[] = [];
  try {
    const seeding = performance.now();
    await seedCriminalGallery(config, keys, subjects, POSITIONS);
    rows.push({ setup: `seed ${(subjects * POSITIONS.length).toLocaleString('en-US')} fingers (${subjects.toLocaleString('en-US')} subjects × 2)`, load: `${((performance.now() - seeding) / 1000).toFixed(1)} s`, memory: '', 'search p50': '', 'search p95': '', 'mates found': '' });

    const random = seededRandom(77);
    const probes = Array.from({ length: probeCount }, () => {
      const i = Math.floor(random() * subjects);
      return { subject: benchFbiNumber(i), fingers: POSITIONS.map((position) => ({ position, template: perturb(seededFinger(i, position), random) })) };
    });

    // One process: the repository's own gallery over worker threads, one per core.
    const db = await openNodeDatabase(config, 'criminal');
    const rssBefore = process.memoryUsage().rss;
    const loading = performance.now();
    const loaded = await loadGallery(db, 'samples.template', 'SELECT id, fbi_number AS subject, position, template FROM samples', keys, { workers: availableParallelism() });
    const single = inProcessGallery(loaded.gallery);
    await single.search(probes[0].fingers); // templates reach the workers
    const loadSeconds = (performance.now() - loading) / 1000;
    const singleRss = process.memoryUsage().rss - rssBefore;
    rows.push({ setup: `one process, ${availableParallelism()} worker threads`, load: `${loadSeconds.toFixed(1)} s`, memory: `${mb(singleRss)} (RSS growth)`, ...(await searches(single, probes)) });
    await single.close();
    await db.close();

    // Two matcher processes of one worker each: together the same two cores.
    const ready = await Promise.all(
      [0, 1].map((index) => startMatcher(index, config, children)),
    );
    const bus = await createNatsBus(config.natsUrl!, { prefix: config.schemaPrefix });
    try {
      const sharded = new ShardedGallery(bus, 'criminal', 2, 30_000);
      const rss = await Promise.all(children.map((child) => rssOf(child.pid!)));
      rows.push({
        setup: 'two matcher processes (1 worker each), scatter/gather over NATS',
        load: ready.map((r) => `${r.seconds} s`).join(' / '),
        memory: `${rss.map(mb).join(' + ')} (RSS)`,
        ...(await searches(sharded, probes)),
      });
    } finally {
      await bus.close();
    }
  } finally {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
    await rm(dataDir, { recursive: true, force: true });
    await dropDeploymentData(config);
  }
  return rows;
}

async function searches(gallery: NodeGallery, probes: { subject: string; fingers: { position: number; template: FingerprintTemplate }[] }[]): Promise<Pick<Row, 'search p50' | 'search p95' | 'mates found'>> {
  await gallery.search(probes[0].fingers); // warm-up
  const times: number[] = [];
  let found = 0;
  for (const probe of probes) {
    const started = performance.now();
    const { candidates, incomplete } = await gallery.search(probe.fingers, { limit: 10 });
    times.push(performance.now() - started);
    if (incomplete) throw new Error(`a shard did not answer: ${incomplete.answered} of ${incomplete.shards}`);
    if (candidates[0]?.subjectId === probe.subject) found++;
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { 'search p50': `${at(0.5).toFixed(0)} ms`, 'search p95': `${at(0.95).toFixed(0)} ms`, 'mates found': `${found} of ${probes.length} first` };
}

async function startMatcher(index: number, config: Config, children: ChildProcess[]): Promise<{ seconds: string }> {
  const child = spawn(process.execPath, [BIN, 'matcher', '--repository', 'criminal', '--shard', `${index}/2`, '--workers', '1'], {
    env: { ...process.env, CONCORD_SCHEMA_PREFIX: config.schemaPrefix, CONCORD_KEY_FILE: config.keyFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = / loaded in ([\d.]+) s/.exec(output);
      if (ready) resolve({ seconds: ready[1] });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`matcher ${index}/2 exited (${code}): ${output}`)));
  });
}

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { fingers: { type: 'string' }, probes: { type: 'string' } } });
  const rows = await runShardsBench(values as Record<string, string | true>);
  process.stdout.write(formatTable('One process beside two matcher processes', rows));
}
