import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTemplate } from '../../biometrics/extraction/extract-template.ts';
import { fixtureImage } from '../../biometrics/testing/fixtures.ts';
import { createMemoryBus } from '../../infra/bus/memory-bus.ts';
import { KeyRing } from '../../infra/crypto/key-ring.ts';
import type { Database } from '../../infra/db/database.ts';
import { openPgliteDatabase } from '../../infra/db/pglite-database.ts';
import { CriminalNode, type BookingRequest } from '../criminal/criminal-node.ts';
import { toFingerPayload, type FingerPayload } from './fingerprint-payload.ts';
import { parseShardId, shardOfSubject } from './gallery-shards.ts';
import { MatcherShard } from './matcher-shard.ts';

/** The criminal gallery in two matcher shards on one bus and database (the real-process version: cluster-shards.test.ts). */
const bus = createMemoryBus();
const sealer = KeyRing.ephemeral();
let db: Database;
let node: CriminalNode;
const shards: (MatcherShard | undefined)[] = [];
const prints = new Map<string, FingerPayload>();

const startShard = async (index: number) => {
  shards[index] = await MatcherShard.start(db, bus, sealer, { repository: 'criminal', shard: { index, count: 2 }, workers: 0 });
};
const fingers = (right: string, left: string) => [prints.get(right)!, { ...prints.get(left)!, position: 7 }];
let tcn = 0;
const booking = (right: string, left: string): BookingRequest => ({
  tcn: `SHARD-${++tcn}`,
  ori: 'NY0303000',
  arrest: { name: { family: 'ROE', given: `R${tcn}` }, dob: '1980-01-01', dateOfArrest: '2026-01-02', charges: [{ literal: 'BURGLARY', severity: 'felony', ncicOffenseCode: '2299' }] },
  fingers: fingers(right, left),
});
const arrests = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM arrests'))[0].n);

beforeAll(async () => {
  for (const name of ['101_1', '101_2', '102_1', '102_2', '103_1', '103_2', '104_1', '104_2', '105_1', '105_2', '106_1', '106_2', '107_1', '108_1']) {
    prints.set(name, toFingerPayload(2, extractTemplate(await fixtureImage(`${name}.png`))));
  }
  db = await openPgliteDatabase(undefined);
  node = await CriminalNode.start(db, bus, { galleryWorkers: 0, sealer, shards: { count: 2, deadlineMs: 500 } });
  await startShard(0);
  await startShard(1);
}, 120_000);
afterAll(async () => {
  for (const shard of shards) await shard?.close();
  await node?.close();
  await bus.close();
  await db?.close();
});

describe('a criminal gallery sharded over matcher processes', () => {
  const people: string[] = [];

  it('puts each booked subject in the one shard its id hashes to, and finds them from any search', async () => {
    for (const [right, left] of [['101_1', '102_1'], ['103_1', '104_1'], ['105_1', '106_1']] as const) {
      const result = await node.book(booking(right, left));
      expect(result.srf).toBe('N');
      people.push(result.fbiNumber);
    }
    // The shards learn of the new records before the next search is sent.
    const found = await node.identify(fingers('103_2', '104_2'));
    expect(found).toMatchObject({ level: 'identified', fbiNumber: people[1] });
    expect(found.incomplete).toBeUndefined();
    expect(shards[0]!.subjects + shards[1]!.subjects).toBe(3);
    expect(shards[0]!.fingers + shards[1]!.fingers).toBe(6);
    for (const k of [0, 1]) expect(shards[k]!.subjects).toBe(people.filter((p) => shardOfSubject(p, 2) === k).length);
    // The same person booked again is the same record: the shards were searched, not an empty local gallery.
    expect((await node.book(booking('101_2', '102_2'))).fbiNumber).toBe(people[0]);
  });

  it('says a search is incomplete when a shard is down, and refuses a booking it cannot prove new', async () => {
    const down = shardOfSubject(people[2], 2);
    await shards[down]!.close();
    shards[down] = undefined;
    try {
      const partial = await node.identify(fingers('105_2', '106_2'));
      expect(partial.level).toBe('none');
      expect(partial.incomplete).toEqual({ answered: 1, shards: 2 });
      const before = await arrests();
      await expect(node.book(booking('107_1', '108_1'))).rejects.toMatchObject({ code: 'SEARCH_INCOMPLETE', where: { search: 'search-incomplete:1/2', retryAfter: 30 } });
      expect(await arrests()).toBe(before);
      // A person the answering shard identifies is no new record: that booking goes through.
      const alive = people.find((p) => shardOfSubject(p, 2) !== down);
      if (alive) {
        const known = people.indexOf(alive);
        const pair = [['101_2', '102_2'], ['103_2', '104_2'], ['105_2', '106_2']][known] as [string, string];
        expect(await node.book(booking(...pair))).toMatchObject({ srf: 'I', fbiNumber: alive });
      }
    } finally {
      await startShard(down);
    }
    // Back, loaded from the repository's database.
    expect(await node.identify(fingers('105_2', '106_2'))).toMatchObject({ level: 'identified', fbiNumber: people[2] });
  });

  it('drops a purged subject from its shard', async () => {
    await db.query(`UPDATE identities SET dob = '1900-01-01' WHERE fbi_number = $1`, [people[1]]);
    expect((await node.purgeBornBefore('1901-01-01')).purged).toEqual([people[1]]);
    const after = await node.identify(fingers('103_2', '104_2'));
    expect(after.level).toBe('none');
    expect(shards[0]!.subjects + shards[1]!.subjects).toBe(2);
  });

  it('reads a shard as k/N and refuses anything else', () => {
    expect(parseShardId('1/4')).toEqual({ index: 1, count: 4 });
    for (const bad of ['2/2', '0/0', '-1/2', 'a/b', '1', '']) expect(() => parseShardId(bad)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  });

  it('spreads subjects evenly over shards, apart from how a shard spreads them over its worker threads', () => {
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 4000; k++) counts[shardOfSubject(`${k + 1}AB`, 4)]++;
    for (const n of counts) expect(n).toBeGreaterThan(850);
  });
});
