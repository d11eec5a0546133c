import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const dir = await mkdtemp(join(tmpdir(), 'concord-pool-test-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs a script in a node process of its own (bounded in time); its exit code and output. */
function runScript(path: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path], { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a worker pool', () => {
  it('keeps its process alive while a job runs, and lets it end once idle', async () => {
    // Nothing else holds the event loop: only the pool's own job can keep the process alive until it answers.
    const script = join(dir, 'one-job.mts');
    const pool = new URL('../app/capture-pool.ts', import.meta.url).href;
    const fixtures = new URL('../testing/test-system.ts', import.meta.url).href;
    await writeFile(
      script,
      `import { templatesFromImages } from '${pool}';
import { fixturePrint } from '${fixtures}';
const [finger] = await templatesFromImages([{ field: 'finger_2', position: 2, bytes: fixturePrint('101_1') }], 'search');
console.log('extracted', finger.position);
`,
    );
    const { code, output } = await runScript(script);
    expect(output).toContain('extracted 2');
    expect(code).toBe(0); // not killed after 30 s: the idle workers let it end
  }, 40_000);
});
