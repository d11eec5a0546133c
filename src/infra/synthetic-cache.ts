import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { encodePng } from './images/encode-png.ts';
import { ConcordError } from '../shared/errors.ts';
import { ENGINE_PPI, type GrayImage } from '../biometrics/gray-image.ts';
import { SYNTHESIS_VERSION } from '../biometrics/synthetic/index.ts';

/**
 * An on-disk cache of synthetic images: generating a master costs a few hundred milliseconds,
 * so demos and benchmarks that reuse the same synthetic population keep the PNGs. An entry is
 * keyed by everything that decides its pixels (seeds, options, generator version); a changed
 * generator therefore never serves stale images.
 *
 *   const cache = new SyntheticImageCache('.data/synthetic');
 *   const image = await cache.getOrCreate({ subject: 7, position: 2, impression: 1 }, () => ...);
 */
export type CacheDescriptor = Record<string, string | number | boolean | undefined>;

export class SyntheticImageCache {
  constructor(readonly directory: string) {}

  /** File name for a descriptor: a hash of its fields in a fixed order, plus the generator version. */
  keyFor(descriptor: CacheDescriptor): string {
    const fields = Object.keys(descriptor)
      .filter((name) => descriptor[name] !== undefined)
      .sort()
      .map((name) => [name, descriptor[name]]);
    const digest = createHash('sha256').update(JSON.stringify([SYNTHESIS_VERSION, fields])).digest('hex');
    return `v${SYNTHESIS_VERSION}-${digest.slice(0, 24)}.png`;
  }

  async get(descriptor: CacheDescriptor): Promise<GrayImage | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(this.directory, this.keyFor(descriptor)));
    } catch {
      return undefined;
    }
    try {
      const { data, info } = await sharp(bytes).greyscale().raw().toBuffer({ resolveWithObject: true });
      return { width: info.width, height: info.height, pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), ppi: ENGINE_PPI };
    } catch {
      return undefined; // a damaged entry is simply regenerated
    }
  }

  async put(descriptor: CacheDescriptor, image: GrayImage): Promise<void> {
    const file = join(this.directory, this.keyFor(descriptor));
    const png = await encodePng(image);
    try {
      await mkdir(this.directory, { recursive: true });
      // Write then rename, so a reader never sees half a file (several workers may share a cache).
      const partial = `${file}.${randomUUID()}.partial`;
      await writeFile(partial, png);
      await rename(partial, file);
    } catch (error) {
      throw new ConcordError('UNWRITABLE_DIRECTORY', `cannot write the synthetic image cache in ${this.directory}: ${(error as Error).message}`, { directory: this.directory });
    }
  }

  async getOrCreate(descriptor: CacheDescriptor, create: () => GrayImage | Promise<GrayImage>): Promise<GrayImage> {
    const cached = await this.get(descriptor);
    if (cached) return cached;
    const image = await create();
    await this.put(descriptor, image);
    return image;
  }
}
