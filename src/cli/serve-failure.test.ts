import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerProcess } from '../testing/nats-server-process.ts';

/**
 * `concord serve` that cannot start exits with a failure status, even when it already holds a
 * connection (here to NATS) that would keep a Node process running.
 */
const CONCORD = fileURLToPath(new URL('../../bin/concord.mjs', import.meta.url));

describe.skipIf(!process.env.NATS_URL)('concord serve failing at start', () => {
  let nats: NatsServerProcess;
  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => nats?.close());

  it('exits with status 70 and the cause when its database refuses connections', async () => {
    const env = { PATH: process.env.PATH ?? '', NATS_URL: nats.url, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', CONCORD_SCHEMA_PREFIX: `t${process.pid}_serve_failure` };
    const child = spawn(process.execPath, [CONCORD, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 25_000);
    const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
    clearTimeout(timer);
    expect(signal, 'still running 25 s after its database refused it').toBeNull();
    expect(code).toBe(70);
    expect(stderr).toMatch(/ECONNREFUSED/);
  }, 40_000);
});
