import { afterAll, describe, expect, it } from 'vitest';
import { populationTemplate } from '../../biometrics/population/population-template.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { openPgliteDatabase } from '../../infra/db/pglite-database.ts';
import { loadGallery } from './identification.ts';
import { sealedFor } from './template-sealer.ts';

const db = await openPgliteDatabase();
afterAll(() => db.close());
const sealer = KeyRing.ephemeral();
const column = 'samples.template';

describe('loading a gallery from the database', () => {
  it('reads every page, holds each template as stored, and leaves out and reports one altered, one moved and one damaged inside its seal', async () => {
    await db.execute('CREATE TABLE samples (id SERIAL PRIMARY KEY, fbi_number TEXT NOT NULL, position INTEGER NOT NULL, template BYTEA NOT NULL)');
    const rows = Array.from({ length: 11 }, (_, k) => ({ subject: `S${k}`, template: sealer.seal(encodeTemplate(populationTemplate(k + 1)), sealedFor(column, `S${k}`, 2)) }));
    rows[1].template[rows[1].template.length - 3] ^= 1;
    rows[2] = { ...rows[2], subject: 'S10' };
    const damaged = encodeTemplate(populationTemplate(40));
    damaged[20] ^= 1;
    rows[7] = { subject: 'S7', template: sealer.seal(damaged, sealedFor(column, 'S7', 2)) };
    for (const row of rows) await db.execute('INSERT INTO samples (fbi_number, position, template) VALUES ($1, 2, $2)', [row.subject, row.template]);

    // Pages of 3 rows: the last page is short, and a page boundary falls right after each damaged row.
    const { gallery, refused } = await loadGallery(db, column, 'SELECT id, fbi_number AS subject, position, template FROM samples', sealer, { workers: 0, pageRows: 3 });
    expect(refused).toEqual([sealedFor(column, 'S1', 2), sealedFor(column, 'S10', 2), sealedFor(column, 'S7', 2)]);
    expect(gallery.size).toBe(8);
    const [best] = await gallery.search([{ position: 2, template: populationTemplate(10) }]);
    expect(best.subjectId).toBe('S9');
    const [last] = await gallery.search([{ position: 2, template: populationTemplate(11) }]);
    expect(last.subjectId).toBe('S10');
    await gallery.close();
  });
});
