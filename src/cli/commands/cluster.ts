import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';

/**
 * `concord cluster` (`npm run cluster`): the services apart on this machine's PostgreSQL and NATS
 * JetStream — two gateways, two immigration and two criminal replicas, each its own OS process
 * (`concord serve --node …`), with the demo population. Each process's output goes to a log file;
 * this command prints where each listens and stops exactly the processes it started, by PID.
 * `--metrics-port N` gives the processes Prometheus metrics on N, N+1, …; `--population N` has
 * the criminal replicas fill their repository up to N fingers first (`concord serve --population`).
 */
const CONCORD = new URL('../../../bin/concord.mjs', import.meta.url).pathname;
// The first start synthesizes the demo population's prints: minutes on a busy machine.
const READY_TIMEOUT_MS = 20 * 60_000;
const STOP_GRACE_MS = 10_000;

interface Member {
  name: string;
  args: string[];
  child?: ChildProcess;
  ready?: string;
}

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { port: { type: 'string', default: '8080' }, 'metrics-port': { type: 'string' }, population: { type: 'string' }, 'data-dir': { type: 'string', default: '.data/cluster' } },
  });
  const port = portOption('port', values.port!);
  const metricsPort = values['metrics-port'] === undefined ? undefined : portOption('metrics-port', values['metrics-port']);
  const dataDir = resolve(values['data-dir']!);
  const logs = join(dataDir, 'logs');
  mkdirSync(logs, { recursive: true });
  const env = {
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    NATS_URL: process.env.NATS_URL || 'nats://127.0.0.1:4222',
    CONCORD_SCHEMA_PREFIX: process.env.CONCORD_SCHEMA_PREFIX || 'concord_cluster',
    CONCORD_KEY_FILE: process.env.CONCORD_KEY_FILE || join(dataDir, 'keys.json'),
    CONCORD_DATA_DIR: dataDir,
  };
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Concord cluster on PostgreSQL ${redact(env.DATABASE_URL)} (schemas ${env.CONCORD_SCHEMA_PREFIX}_*) and NATS ${env.NATS_URL}; logs in ${logs}`);

  const members: Member[] = [
    ...[1, 2].map((k) => ({ name: `immigration-${k}`, args: ['--node', 'immigration'] })),
    ...[1, 2].map((k) => ({ name: `criminal-${k}`, args: ['--node', 'criminal', ...(values.population ? ['--population', values.population] : [])] })),
    ...[1, 2].map((k) => ({ name: `gateway-${k}`, args: ['--node', 'gateway', '--port', String(port + k - 1), '--demo'] })),
  ];
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('\nstopping the cluster…');
    const running = members.filter((m) => m.child && m.child.exitCode === null && m.child.signalCode === null);
    for (const m of running) m.child!.kill('SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (running.some((m) => m.child!.exitCode === null && m.child!.signalCode === null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    for (const m of running) if (m.child!.exitCode === null && m.child!.signalCode === null) m.child!.kill('SIGKILL');
    say(`stopped ${running.map((m) => `${m.name} (pid ${m.child!.pid})`).join(', ') || 'nothing'}`);
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));

  say('(the first start makes the demo population\'s synthetic prints: a minute or more)');
  const readiness = members.map((member, k) => {
    const own = metricsPort === undefined ? env : { ...env, CONCORD_METRICS_PORT: String(metricsPort + k) };
    return start(member, own, join(logs, `${member.name}.log`), say, () => stopping);
  });
  try {
    await Promise.all(readiness);
  } catch (error) {
    say(`the cluster did not start: ${(error as Error).message}`);
    await stop(1);
  }
  say('\nConcord cluster is ready:');
  members.forEach((m, k) => {
    const url = m.ready!.match(/url=(\S+)/)?.[1];
    const metrics = metricsPort === undefined ? '' : `  metrics http://127.0.0.1:${metricsPort + k}/metrics`;
    say(`  ${m.name.padEnd(14)} pid ${String(m.child!.pid).padEnd(8)} ${url === 'none' ? 'bus only' : url}${metrics}`);
  });
  say(`\nHealth, with every replica: curl -s http://127.0.0.1:${port}/health`);
  say(`Demo tokens and probe prints: ${join(logs, 'gateway-1.log')}`);
  say(`Stop: Ctrl-C here (stops these ${members.length} processes, by PID), or kill ${process.pid}`);
  await new Promise(() => {}); // until stopped
  return 0;
}

/** Starts one member; resolves when it prints its ready line. A member that dies later is reported, not restarted. */
function start(member: Member, env: NodeJS.ProcessEnv, logFile: string, say: (line: string) => void, stopping: () => boolean): Promise<void> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [CONCORD, 'serve', ...member.args, '--replica', member.name], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  member.child = child;
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  say(`  started ${member.name} (pid ${child.pid})`);
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${member.name} was not ready within ${READY_TIMEOUT_MS / 1000} s (see ${logFile})`)), READY_TIMEOUT_MS);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!member.ready && line.startsWith('ready: ')) {
        member.ready = line;
        clearTimeout(timer);
        resolvePromise();
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => say(`  [${member.name}] ${line}`));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!member.ready) reject(new Error(`${member.name} exited (${signal ?? `code ${code}`}) before it was ready (see ${logFile})`));
      else if (!stopping()) say(`  ${member.name} (pid ${child.pid}) exited (${signal ?? `code ${code}`}); the others keep running`);
    });
  });
}

function portOption(name: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65530) throw new ConcordError('BAD_ARGUMENT', `--${name} must be a port number, not "${text}"`, { field: name });
  return port;
}

/** A database URL without its password, for printing. */
function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
