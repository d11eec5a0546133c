import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './ebts.ts';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url));

/** Runs an ebts command and gives its exit code and what it printed. */
async function ebts(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  const code = await run(args);
  vi.restoreAllMocks();
  return { code, out };
}

afterEach(() => vi.restoreAllMocks());

describe('concord ebts check and dump --json', () => {
  it('check exits 0 for a valid file that writes back byte for byte', async () => {
    const { code, out } = await ebts(['check', fixture('type-14-tpcard-nqm.an2')]);
    expect(code).toBe(0);
    expect(out).toContain('written back byte for byte');
  });

  it('check exits 1 and gives the first differing offset and every problem for a damaged file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'concord-ebts-'));
    try {
      const text = (await readFile(fixture('type-4-slaps.an2'))).toString('latin1').replace('1.001:191', '1.001:190');
      const path = join(dir, 'damaged.an2');
      await writeFile(path, Buffer.from(`${text}xx`, 'latin1'));
      const { code, out } = await ebts(['check', path, '--json']);
      expect(code).toBe(1);
      const json = JSON.parse(out) as { valid: boolean; identical: boolean; firstDifference: number; problems: { code: string }[] };
      expect(json).toMatchObject({ valid: false, identical: false, firstDifference: 8 });
      expect(json.problems.map((p) => p.code)).toEqual(['AN_LENGTH_MISMATCH', 'AN_TRAILING_BYTES']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('dump --json gives every record with named fields and images summarised', async () => {
    const { code, out } = await ebts(['dump', fixture('record-types/type-17.an2'), '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { records: { type: number; fields?: { tag: string; name: string | null; binaryBytes?: number }[]; image?: { dataBytes: number } }[] };
    const iris = json.records[2];
    expect(iris.type).toBe(17);
    expect(iris.fields!.find((f) => f.tag === '17.003')!.name).toBe('ELR');
    expect(iris.fields!.at(-1)).toEqual({ tag: '17.999', name: 'DATA', binaryBytes: 192 });
    expect(iris.image!.dataBytes).toBe(192);
  });
});
