import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FingerprintGallery } from '../../biometrics/matching/gallery.ts';
import { populationTemplate } from '../../biometrics/population/population-template.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { GallerySnapshotWriter, loadGallerySnapshot } from './gallery-snapshot.ts';
import { sealedFor } from './template-sealer.ts';

const dir = await mkdtemp(join(tmpdir(), 'concord-snapshot-test-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const sealer = KeyRing.ephemeral();
const column = 'samples.template';

async function snapshotOf(path: string, rows: { subject: string; position: number; template: Uint8Array }[]) {
  const writer = await GallerySnapshotWriter.create(path);
  await writer.write(rows.slice(0, 3));
  await writer.write(rows.slice(3));
  await writer.close();
}

describe('gallery snapshot', () => {
  it('loads every finger checked as the table loader checks it; one altered, one moved to another subject and one damaged inside its seal are left out and reported', async () => {
    const rows = Array.from({ length: 8 }, (_, k) => ({ subject: `S${k}`, position: 2, template: sealer.seal(encodeTemplate(populationTemplate(k + 1)), sealedFor(column, `S${k}`, 2)) }));
    rows[1].template[rows[1].template.length - 3] ^= 1;
    rows[2] = { ...rows[2], subject: 'S7' };
    const damaged = encodeTemplate(populationTemplate(40));
    damaged[20] ^= 1;
    rows[3] = { subject: 'S3', position: 2, template: sealer.seal(damaged, sealedFor(column, 'S3', 2)) };
    const path = join(dir, 'a.snapshot');
    await snapshotOf(path, rows);
    const gallery = new FingerprintGallery({ workers: 0 });
    const { fingers, refused } = await loadGallerySnapshot(path, gallery, column, sealer);
    expect(fingers).toBe(5);
    expect(refused).toEqual([sealedFor(column, 'S1', 2), sealedFor(column, 'S7', 2), sealedFor(column, 'S3', 2)]);
    expect(gallery.size).toBe(5);
    const [best] = await gallery.search([{ position: 2, template: populationTemplate(5) }]);
    expect(best.subjectId).toBe('S4');
  });

  it('refuses a file cut short or not a snapshot with SNAPSHOT_CORRUPT', async () => {
    const path = join(dir, 'b.snapshot');
    await snapshotOf(path, [{ subject: 'S0', position: 2, template: sealer.seal(encodeTemplate(populationTemplate(1)), sealedFor(column, 'S0', 2)) }]);
    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 10));
    await expect(loadGallerySnapshot(path, new FingerprintGallery({ workers: 0 }), column, sealer)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    await writeFile(path, Buffer.from('not a snapshot'));
    await expect(loadGallerySnapshot(path, new FingerprintGallery({ workers: 0 }), column, sealer)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });
});
