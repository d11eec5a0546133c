import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { run } from './fingerprint.ts';

const fixtures = fileURLToPath(new URL('../../../fixtures/fingerprints', import.meta.url));

async function codeOf(args: string[]): Promise<string> {
  try {
    await run(args);
    return 'none';
  } catch (error) {
    return error instanceof ConcordError ? error.code : 'untyped';
  }
}

/** The JSON summary `concord fingerprint eval --json` prints. */
async function evalJson(args: string[]): Promise<Record<string, unknown>> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  expect(await run(['eval', fixtures, '--json', ...args])).toBe(0);
  vi.restoreAllMocks();
  return JSON.parse(out) as Record<string, unknown>;
}

afterEach(() => vi.restoreAllMocks());

describe('concord fingerprint eval --ppi', () => {
  it('refuses a resolution that is not a number from 250 to 2000 with BAD_ARGUMENT', async () => {
    for (const ppi of ['', 'abc', '0', '-500', '100', '2001', 'Infinity', 'NaN']) expect(await codeOf(['eval', fixtures, `--ppi=${ppi}`]), ppi).toBe('BAD_ARGUMENT');
  });

  it('honours the stated resolution: the same files read at 1000 ppi are resampled to half size and score differently', async () => {
    const stated = await evalJson([]);
    const at500 = await evalJson(['--ppi', '500']);
    const at1000 = await evalJson(['--ppi', '1000']);
    expect(stated.ppi).toBeNull();
    expect(at500.ppi).toBe(500);
    expect(at1000.ppi).toBe(1000);
    // The fixtures say nothing of their resolution: 500 ppi, as stated explicitly.
    expect(at500.eer).toBe(stated.eer);
    expect(at1000.extract_ms_mean).toBeLessThan(at500.extract_ms_mean as number);
    expect([at1000.eer, at1000.fnmr_at_fmr_0]).not.toEqual([at500.eer, at500.fnmr_at_fmr_0]);
  }, 120_000);
});
