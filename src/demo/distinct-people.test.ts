import { describe, expect, it } from 'vitest';
import { lookAlikes } from './distinct-people.ts';
import { makeSyntheticPrints } from './synthetic-prints.ts';

describe('lookAlikes', () => {
  it('names the later of two synthetic subjects the engine would identify as one, and keeps distinct ones', async () => {
    // Subjects 1012 and 1031 of the demo plan: both index fingers score 14-16 against each other.
    const prints = await makeSyntheticPrints([1012, 1020, 1031].map((subjectSeed) => ({ subjectSeed, positions: [2, 7], impressions: [1, 2, 3] })));
    expect(lookAlikes(prints)).toEqual([2]);
    expect(lookAlikes(prints.slice(0, 2))).toEqual([]);
  }, 60_000);
});
