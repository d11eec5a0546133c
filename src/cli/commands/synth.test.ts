import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { run } from './synth.ts';

const directory = await mkdtemp(join(tmpdir(), 'concord-synth-cli-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

async function codeOf(args: string[]): Promise<string> {
  try {
    await run(args);
    return 'none';
  } catch (error) {
    return error instanceof ConcordError ? error.code : 'untyped';
  }
}

describe('concord synth prints', () => {
  it('writes <finger>_<impression>.png files', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = join(directory, 'prints');
    expect(await run(['prints', '--fingers', '2', '--impressions', '2', '--seed', '4', '--size', '128x160', '--workers', '1', '--out', out])).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['1_1.png', '1_2.png', '2_1.png', '2_2.png']);
    vi.restoreAllMocks();
  });

  it('rejects bad arguments with typed errors', async () => {
    const out = join(directory, 'unused');
    expect(await codeOf(['prints', '--fingers=-1', '--impressions', '2', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '0', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '2', '--class', 'spiral', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '2', '--size', 'big', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '2'])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '2', '--difficulty', 'brutal', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['prints', '--fingers', '2', '--impressions', '2', '--difficulty', 'toString', '--out', out])).toBe('BAD_ARGUMENT');
    expect(await codeOf(['paint'])).toBe('BAD_ARGUMENT');
    const file = join(directory, 'a-file');
    await writeFile(file, 'x');
    expect(await codeOf(['prints', '--fingers', '1', '--impressions', '1', '--out', join(file, 'below')])).toBe('UNWRITABLE_DIRECTORY');
  });
});
