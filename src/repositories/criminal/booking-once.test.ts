import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../infra/config.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import { openNodeDatabase } from '../../infra/db/open-node-database.ts';
import { readFingerprintImage } from '../../infra/images/read-fingerprint-image.ts';
import { templatesFromCaptures } from '../../app/finger-captures.ts';
import { startSystem, type ConcordSystem } from '../../app/concord-system.ts';
import { dropDeploymentData, fixturePrint } from '../../testing/test-system.ts';
import type { BookingRequest } from './criminal-node.ts';

/**
 * A booking resubmitted while the first still runs (its gateway gave up waiting and the client
 * asked again) reaches the same replica or another one: either way one arrest, one record, and
 * both answers the same.
 */
describe.skipIf(!process.env.DATABASE_URL || !process.env.NATS_URL)('a booking resubmitted while it runs, on PostgreSQL', () => {
  const prefix = `bookonce${process.pid}_${Date.now().toString(36)}`;
  const config = { ...readConfig(process.env), dataDir: undefined, schemaPrefix: prefix };
  const replicas: ConcordSystem[] = [];
  const keys = KeyRing.ephemeral();

  beforeAll(async () => {
    for (let k = 0; k < 2; k++) replicas.push(await startSystem(config, { nodes: ['criminal'], galleryWorkers: 0, busPrefix: prefix, keys, replica: `replica-${k}` }));
  }, 120_000);
  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await dropDeploymentData(config);
  });

  const booking = async (tcn: string, family: string, prints: [string, string]): Promise<BookingRequest> => ({
    tcn,
    ori: 'VA0000000',
    arrest: { name: { family, given: 'ONCE' }, dob: '1980-01-01', dateOfArrest: new Date().toISOString().slice(0, 10), charges: [{ literal: 'THEFT', severity: 'misdemeanor' }] },
    fingers: templatesFromCaptures(await Promise.all(prints.map(async (name, k) => ({ position: [2, 7][k], label: name, image: await readFingerprintImage(fixturePrint(name)) }))), 'retained'),
  });

  async function recorded(tcn: string): Promise<{ arrests: number; subjects: number }> {
    const db = await openNodeDatabase(config, 'criminal');
    try {
      const [row] = await db.query<{ arrests: number; subjects: number }>(
        `SELECT (SELECT count(*)::int FROM arrests WHERE tcn = $1) AS arrests, (SELECT count(*)::int FROM subjects s WHERE EXISTS (SELECT 1 FROM samples WHERE fbi_number = s.fbi_number AND tcn = $1)) AS subjects`,
        [tcn],
      );
      return row;
    } finally {
      await db.close();
    }
  }

  it('on another replica: one arrest and one new record, the same answer twice', async () => {
    const request = await booking('ONCE-CAR-1', 'TWOREPLICAS', ['105_1', '106_1']);
    const [first, second] = await Promise.all(replicas.map((replica) => replica.criminal!.book(request)));
    expect(second).toEqual(first);
    expect(first.srf).toBe('N');
    expect(await recorded('ONCE-CAR-1')).toEqual({ arrests: 1, subjects: 1 });
  });

  it('on the same replica: the second waits for the first and gets its answer', async () => {
    const request = await booking('ONCE-CAR-2', 'ONEREPLICA', ['107_1', '108_1']);
    const [first, second] = await Promise.all([replicas[0].criminal!.book(request), replicas[0].criminal!.book(request)]);
    expect(second).toEqual(first);
    expect(await recorded('ONCE-CAR-2')).toEqual({ arrests: 1, subjects: 1 });
  });
});
