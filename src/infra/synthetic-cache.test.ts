import { mkdtemp, rm, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConcordError } from '../shared/errors.ts';
import type { GrayImage } from '../biometrics/gray-image.ts';
import { SyntheticImageCache } from './synthetic-cache.ts';

const directory = await mkdtemp(join(tmpdir(), 'concord-synthetic-cache-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

const image = (seed: number): GrayImage => {
  const pixels = new Uint8Array(40 * 30);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + seed * 7) & 0xff;
  return { width: 40, height: 30, pixels, ppi: 500 };
};

describe('synthetic image cache', () => {
  it('keys entries by every field, whatever their order', () => {
    const cache = new SyntheticImageCache(directory);
    expect(cache.keyFor({ seed: 1, impression: 2 })).toBe(cache.keyFor({ impression: 2, seed: 1 }));
    expect(cache.keyFor({ seed: 1, impression: 2 })).not.toBe(cache.keyFor({ seed: 1, impression: 3 }));
    expect(cache.keyFor({ seed: 1, rolled: true })).not.toBe(cache.keyFor({ seed: 1 }));
  });

  it('stores PNGs and gives back the same pixels, creating each entry once', async () => {
    const cache = new SyntheticImageCache(join(directory, 'nested'));
    let made = 0;
    const make = () => {
      made++;
      return image(5);
    };
    const first = await cache.getOrCreate({ seed: 5 }, make);
    const second = await cache.getOrCreate({ seed: 5 }, make);
    expect(made).toBe(1);
    expect(Buffer.from(second.pixels).equals(Buffer.from(first.pixels))).toBe(true);
    expect([second.width, second.height, second.ppi]).toEqual([40, 30, 500]);
    expect((await readdir(join(directory, 'nested'))).filter((name) => name.endsWith('.png'))).toHaveLength(1);
    expect(await cache.get({ seed: 6 })).toBeUndefined();
  });

  it('regenerates a damaged entry and reports an unwritable directory', async () => {
    const cache = new SyntheticImageCache(directory);
    await writeFile(join(directory, cache.keyFor({ seed: 9 })), 'not a png');
    expect(await cache.get({ seed: 9 })).toBeUndefined();
    const file = join(directory, 'plain-file');
    await writeFile(file, 'x');
    const blocked = new SyntheticImageCache(join(file, 'below'));
    const error = await blocked.put({ seed: 1 }, image(1)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcordError);
    expect((error as ConcordError).code).toBe('UNWRITABLE_DIRECTORY');
  });
});
