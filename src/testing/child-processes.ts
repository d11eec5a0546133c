import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/**
 * Child processes a test starts: their output drained (a full pipe would stall them) and kept
 * for the failure message, and every one still alive killed when the test process exits,
 * whatever way it exits.
 */
const live = new Set<ChildProcess>();
const output = new WeakMap<ChildProcess, { lines: string[]; listeners: Set<(line: string) => void> }>();
const KEPT_LINES = 60;

process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function trackChild(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once('exit', () => live.delete(child));
  const kept = { lines: [] as string[], listeners: new Set<(line: string) => void>() };
  output.set(child, kept);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      kept.lines.push(line);
      if (kept.lines.length > KEPT_LINES) kept.lines.shift();
      for (const listener of kept.listeners) listener(line);
    });
  }
  return child;
}

/** The last lines the child wrote (stdout and stderr), for a failure message. */
export function recentOutput(child: ChildProcess): string {
  return output.get(child)?.lines.join('\n') ?? '';
}

/** Resolves with the first output line matching `pattern`; rejects if the child exits or time runs out first. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number, label: string): Promise<RegExpExecArray> {
  const kept = output.get(child);
  if (!kept) throw new Error(`${label}: the child is not tracked`);
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      kept.listeners.delete(onLine);
      child.off('exit', onExit);
    };
    const onLine = (line: string) => {
      const match = pattern.exec(line);
      if (match) {
        done();
        resolve(match);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`${label} exited (${signal ?? `code ${code}`}) before printing ${pattern}:\n${recentOutput(child)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${label} printed no ${pattern} within ${timeoutMs} ms:\n${recentOutput(child)}`));
    }, timeoutMs);
    kept.listeners.add(onLine);
    child.on('exit', onExit);
    for (const line of kept.lines) onLine(line);
  });
}

/** Sends `signal` (SIGKILL unless told) and waits until the process is gone. */
export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
