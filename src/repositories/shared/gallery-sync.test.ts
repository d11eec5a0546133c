import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.ts';
import { openPgliteDatabase } from '../../infra/db/pglite-database.ts';
import type { Database } from '../../infra/db/database.ts';
import { readFingerprintImage } from '../../infra/images/read-fingerprint-image.ts';
import { templatesFromCaptures } from '../../app/finger-captures.ts';
import { startSystem, type ConcordSystem } from '../../app/concord-system.ts';
import { dropDeploymentData, fixturePrint } from '../../testing/test-system.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { GALLERY_CHANGE_LOG, GallerySync } from './gallery-sync.ts';
import type { FingerPayload } from './fingerprint-payload.ts';

describe('the gallery change log', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPgliteDatabase();
    for (const statement of `${GALLERY_CHANGE_LOG};\n CREATE TABLE samples (id SERIAL, fin TEXT NOT NULL);\n CREATE TRIGGER samples_gallery_change AFTER INSERT OR UPDATE OR DELETE ON samples FOR EACH ROW EXECUTE FUNCTION note_gallery_change('travellers', 'fin')`.split(/;\s*\n/)) {
      await db.execute(statement);
    }
  }, 60_000);
  afterAll(async () => db.close());

  it('reloads each subject a committed change names, once per look, and never one rolled back', async () => {
    const reloaded: string[] = [];
    const sync = await GallerySync.start(db, await GallerySync.logEnd(db), { travellers: async (fin) => void reloaded.push(fin) }, { pollMs: 60_000 });
    try {
      await db.transaction(async (tx) => {
        for (const fin of ['F1', 'F1', 'F2']) await tx.execute('INSERT INTO samples (fin) VALUES ($1)', [fin]);
      });
      await db.transaction(async (tx) => {
        await tx.execute('INSERT INTO samples (fin) VALUES ($1)', ['F3']);
        throw new Error('rolled back');
      }).catch(() => undefined);
      await sync.catchUp();
      expect(reloaded.sort()).toEqual(['F1', 'F2']);
      await db.execute(`DELETE FROM samples WHERE fin = 'F2'`);
      await sync.catchUp();
      expect(reloaded.sort()).toEqual(['F1', 'F2', 'F2']);
    } finally {
      await sync.close();
    }
  });

  it('waits at a hole in the sequence (a transaction still committing), then passes one left by a rollback', async () => {
    const reloaded: string[] = [];
    const start = await GallerySync.logEnd(db);
    const sync = await GallerySync.start(db, start, { travellers: async (fin) => void reloaded.push(fin) }, { pollMs: 60_000, holeMs: 300 });
    try {
      // seq start+2 committed before start+1: start+1 is applied when it comes.
      await db.execute(`INSERT INTO gallery_changes (seq, gallery, subject) VALUES ($1, 'travellers', 'LATER')`, [start + 2]);
      await sync.catchUp();
      await db.execute(`INSERT INTO gallery_changes (seq, gallery, subject) VALUES ($1, 'travellers', 'EARLIER')`, [start + 1]);
      await sync.catchUp();
      expect(reloaded).toEqual(['LATER', 'EARLIER']);
      // A hole never filled (start+3) is passed after holeMs; later changes are applied once each.
      await db.execute(`INSERT INTO gallery_changes (seq, gallery, subject) VALUES ($1, 'travellers', 'AFTER-HOLE')`, [start + 4]);
      await sync.catchUp();
      await new Promise((resolve) => setTimeout(resolve, 350));
      await sync.catchUp();
      await sync.catchUp();
      expect(reloaded).toEqual(['LATER', 'EARLIER', 'AFTER-HOLE']);
      expect((sync as unknown as { position: number }).position).toBe(start + 4);
    } finally {
      await sync.close();
    }
  });
});

/**
 * Two replicas of each repository in one test process, on PostgreSQL and NATS: what one replica
 * answers is searchable on the other within a second. The time is measured, not assumed.
 */
describe.skipIf(!process.env.DATABASE_URL || !process.env.NATS_URL)('repository replicas on PostgreSQL', () => {
  const prefix = `gsync${process.pid}_${Date.now().toString(36)}`;
  const config = { ...readConfig(process.env), dataDir: undefined, schemaPrefix: prefix };
  const replicas: ConcordSystem[] = [];
  const keys = KeyRing.ephemeral();
  const fingers = async (...names: string[]): Promise<FingerPayload[]> =>
    templatesFromCaptures(await Promise.all(names.map(async (name, k) => ({ position: [2, 7][k], label: name, image: await readFingerprintImage(fixturePrint(name)) }))), 'retained');

  beforeAll(async () => {
    for (let k = 0; k < 2; k++) replicas.push(await startSystem(config, { nodes: ['immigration', 'criminal'], galleryWorkers: 0, busPrefix: prefix, keys, replica: `replica-${k}` }));
  }, 120_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await dropDeploymentData(config);
  });

  /** Milliseconds until `found` holds on every replica, polled every 5 ms (a search's own time included). */
  async function searchableEverywhere(found: (replica: ConcordSystem) => Promise<boolean>): Promise<number> {
    const started = performance.now();
    const pending = new Set(replicas);
    while (pending.size > 0 && performance.now() - started < 5000) {
      for (const replica of [...pending]) if (await found(replica)) pending.delete(replica);
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return pending.size === 0 ? performance.now() - started : Infinity;
  }

  it('finds an enrollment answered by one replica on the other within a second', async () => {
    const enrolled = await replicas[0].immigration!.enroll({
      tcn: 'GSYNC-POE-1',
      port: 'IAD',
      officer: 'port',
      ori: 'VA0000000',
      inspectionDate: new Date().toISOString().slice(0, 10),
      traveller: { name: { family: 'REPLICA', given: 'EVA' }, dob: '1988-04-04', sex: 'F', nationality: 'NLD', admissionClass: 'B2', document: { type: 'passport', number: 'NGSYNC1', issuingCountry: 'NLD' } },
      fingers: await fingers('101_1', '102_1'),
    });
    const probe = await fingers('101_2', '102_2');
    const ms = await searchableEverywhere(async (replica) => (await replica.immigration!.search(probe)).fin === enrolled.fin);
    process.stdout.write(`enrollment searchable on both replicas after ${ms.toFixed(0)} ms\n`);
    expect(ms).toBeLessThan(1000);
  });

  it('finds a booking answered by one replica on the other within a second', async () => {
    const booked = await replicas[1].criminal!.book({
      tcn: 'GSYNC-CAR-1',
      ori: 'VA0000000',
      arrest: { name: { family: 'REPLICA', given: 'ADAM' }, dob: '1980-01-01', dateOfArrest: new Date().toISOString().slice(0, 10), charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] },
      fingers: await fingers('103_1', '104_1'),
    });
    const probe = await fingers('103_2', '104_2');
    const ms = await searchableEverywhere(async (replica) => (await replica.criminal!.identify(probe)).fbiNumber === booked.fbiNumber);
    process.stdout.write(`booking searchable on both replicas after ${ms.toFixed(0)} ms\n`);
    expect(ms).toBeLessThan(1000);
  });
});
