import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../testing/test-system.ts';
import { KeyRing } from '../infra/crypto/key-ring.ts';
import { toFingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { populationFbiNumber, populationFinger, populationSize, seedCriminalPopulation } from './population-records.ts';

const keys = KeyRing.ephemeral();
const t = useTestSystem({ keys });
const TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('the background population', () => {
  it('is written in parts, counted, and found by the criminal repository once it loads its gallery', async () => {
    const criminal = t.system.databases.criminal!;
    await seedCriminalPopulation(criminal, keys, { from: 0, to: 12 }, TEN);
    expect(await populationSize(criminal)).toBe(12);
    await seedCriminalPopulation(criminal, keys, { from: 12, to: 30 }, TEN);
    expect(await populationSize(criminal)).toBe(30);
    const [{ n }] = await criminal.query<{ n: number }>('SELECT count(*)::int AS n FROM samples');
    expect(Number(n)).toBe(300);

    await t.system.stopNode('criminal');
    await t.system.startNode('criminal');
    expect(t.system.refusedTemplates()).toEqual([]);
    const answer = await t.system.criminal!.identify([2, 7].map((p) => toFingerPayload(p, populationFinger(17, p))));
    expect(answer).toMatchObject({ level: 'identified', fbiNumber: populationFbiNumber(17), arrests: 0 });
  });
});
