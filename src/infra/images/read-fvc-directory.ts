import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConcordError } from '../../shared/errors.ts';
import type { GrayImage } from '../../biometrics/gray-image.ts';
import { parseFvcName, type Impression } from '../../biometrics/evaluation/fvc-protocol.ts';
import { readFingerprintImage } from './read-fingerprint-image.ts';

/** Reads every `<finger>_<impression>.<ext>` image of a directory, in natural order. */
export async function readFvcDirectory(dir: string, ppi?: number): Promise<{ impression: Impression; image: GrayImage }[]> {
  const names = await readdir(dir).catch(() => {
    throw new ConcordError('NOT_FOUND', `cannot read directory ${dir}`, { path: dir });
  });
  const files = names
    .map((name) => ({ name, impression: parseFvcName(name) }))
    .filter((f): f is { name: string; impression: Impression } => f.impression !== undefined)
    .sort((x, y) => x.name.localeCompare(y.name, 'en', { numeric: true }));
  if (files.length < 2) throw new ConcordError('NO_IMAGES', `${dir} holds fewer than two images named <finger>_<impression>.<ext>`, { path: dir });
  return Promise.all(
    files.map(async (f) => ({ impression: f.impression, image: await readFingerprintImage(await readFile(join(dir, f.name)), { ppi, source: f.name }) })),
  );
}
