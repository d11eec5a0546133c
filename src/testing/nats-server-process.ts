import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort, killAndWait, trackChild, waitForLine } from './child-processes.ts';

/**
 * A NATS JetStream server of a test's own, on a free port of 127.0.0.1 with its store in a
 * temporary directory, so a drill can kill and restart it without touching anyone else's NATS.
 * Restarting keeps the port and the store: streams, consumers and accepted messages survive.
 */
export interface NatsServerProcess {
  readonly url: string;
  readonly pid: number | undefined;
  /** SIGKILL: the server dies as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and store. */
  start(): Promise<void>;
  /** Kills it and removes its store. */
  close(): Promise<void>;
}

export async function startNatsServer(): Promise<NatsServerProcess> {
  const binary = natsServerBinary();
  const port = await freePort();
  const store = await mkdtemp(join(tmpdir(), 'concord-nats-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = trackChild(spawn(binary, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], { stdio: ['ignore', 'pipe', 'pipe'] }));
    // nats-server logs to stderr.
    await waitForLine(child, /Server is ready/, 15_000, 'nats-server');
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    async kill() {
      if (child) await killAndWait(child);
      child = undefined;
    },
    start,
    async close() {
      if (child) await killAndWait(child);
      child = undefined;
      await rm(store, { recursive: true, force: true });
    },
  };
}

/** `nats-server` on the PATH, or where Debian installs it (outside a normal user's PATH). */
function natsServerBinary(): string {
  const candidates = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'].map((dir) => join(dir, 'nats-server'));
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error('nats-server is not installed (needed by the fault drills for a NATS server of their own)');
  return found;
}
