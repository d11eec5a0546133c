import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.ts';
import { dropDeploymentData } from '../../testing/test-system.ts';

/** `concord serve --node …` as real processes: each started here is tracked by PID and ended by it. */
const CONCORD = new URL('../../../bin/concord.mjs', import.meta.url).pathname;
const children: ChildProcess[] = [];
const shared = Boolean(process.env.DATABASE_URL && process.env.NATS_URL);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function serve(args: string[], env: Record<string, string | undefined>): { child: ChildProcess; output: () => string; ready: Promise<string>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CONCORD, 'serve', ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^ready: .*$/m.exec(output);
      if (line) resolve(line[0]);
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`concord serve ${args.join(' ')} exited (${code}) before it was ready:\n${output}`)));
  });
  ready.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, ready, exited };
}

describe('concord serve --node', () => {
  it('refuses a node started alone on the embedded default, in one line naming each shared service it lacks', async () => {
    const started = serve(['--node', 'criminal'], { CONCORD_DATA_DIR: join(tmpdir(), 'concord-never-created') });
    expect(await started.exited).toBe(1);
    const lines = started.output().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^concord: NEEDS_SHARED_SERVICES: /);
    for (const missing of ['DATABASE_URL', 'CRIMINAL_DATABASE_URL', 'NATS_URL', 'CONCORD_KEY_FILE']) expect(lines[0]).toContain(missing);
  });

  it('refuses an unknown node by name', async () => {
    const started = serve(['--node', 'immigraton'], {});
    expect(await started.exited).toBe(1);
    expect(started.output()).toContain('BAD_ARGUMENT: unknown node "immigraton"');
  });

  it.skipIf(!shared)('runs each node in a process of its own on PostgreSQL and NATS; the gateway reports both repositories up', async () => {
    const prefix = `serve${process.pid}_${Date.now().toString(36)}`;
    const directory = await mkdtemp(join(tmpdir(), 'concord-serve-test-'));
    const env = {
      DATABASE_URL: process.env.DATABASE_URL,
      NATS_URL: process.env.NATS_URL,
      CONCORD_SCHEMA_PREFIX: prefix,
      CONCORD_KEY_FILE: join(directory, 'keys.json'),
      CONCORD_DATA_DIR: directory,
    };
    try {
      const port = 20_000 + (process.pid % 10_000);
      const processes = [
        serve(['--node', 'criminal', '--replica', 'criminal-a'], env),
        serve(['--node', 'immigration', '--replica', 'immigration-a'], env),
        serve(['--node', 'gateway', '--replica', 'gateway-a', '--port', String(port)], env),
      ];
      const lines = await Promise.all(processes.map((p) => p.ready));
      expect(lines).toEqual([
        'ready: nodes=criminal replica=criminal-a url=none',
        'ready: nodes=immigration replica=immigration-a url=none',
        `ready: nodes=gateway replica=gateway-a url=http://127.0.0.1:${port}`,
      ]);
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { nodes: unknown }).nodes).toMatchObject({ gateway: 'up', immigration: 'up', criminal: 'up' });
      for (const p of processes) p.child.kill('SIGTERM');
      expect(await Promise.all(processes.map((p) => p.exited))).toEqual([0, 0, 0]);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await dropDeploymentData({ ...readConfig(env), schemaPrefix: prefix });
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
