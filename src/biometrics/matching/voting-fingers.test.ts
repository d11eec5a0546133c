import { describe, expect, it } from 'vitest';
import { populationTemplate } from '../population/population-template.ts';
import { transformTemplate } from '../testing/fixtures.ts';
import { encodeTemplate } from '../template-codec.ts';
import { GalleryShard } from './gallery-shard.ts';
import { prepareTemplate } from './prepared-template.ts';
import { positionBit } from './finger-positions.ts';
import { voterEffort, votingFingers, type VotingCandidate } from './voting-fingers.ts';

const TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const maskOf = (positions: number[]) => positions.reduce((mask, p) => mask | positionBit(p), 0);

describe('votingFingers', () => {
  const probe = TEN.map((position) => ({ position, quality: [40, 90, 55, 70, 20, 85, 60, 30, 75, 50][position - 1] }));
  const fingers = (masks: number[], of: readonly VotingCandidate[] = probe) => votingFingers(of, masks).fingers;

  it('lets the best four fingers by quality vote in a gallery of ten-prints, each subject reached by all four', () => {
    expect(votingFingers(probe, [maskOf(TEN)])).toEqual({ fingers: [1, 3, 5, 8], leastReach: 4 });
  });

  it('adds voters until every subject the probe reaches is reached by two of them, or by all the probe has', () => {
    // Travellers hold right and left index (2, 7): the probe's fingers 1 and 6 (quality 90 and 60) must both vote.
    expect(votingFingers(probe, [maskOf(TEN), maskOf([2, 7])])).toEqual({ fingers: [1, 3, 5, 6, 8], leastReach: 2 });
    // A subject with only a left little finger (10): the probe's one such finger votes.
    expect(votingFingers(probe, [maskOf(TEN), maskOf([10])])).toEqual({ fingers: [1, 3, 5, 8, 9], leastReach: 1 });
    // A gallery of travellers alone: only the fingers that reach anyone vote.
    expect(votingFingers(probe, [maskOf([2, 7])])).toEqual({ fingers: [1, 6], leastReach: 2 });
  });

  it('reads wide and votes again for a lone voter, whether the probe has one finger or only one that reaches anyone, and reads near for several', () => {
    expect(voterEffort(votingFingers([{ position: 2 }], [maskOf(TEN)]))).toEqual({ reach: 'wide', revote: true });
    expect(voterEffort(votingFingers([{ position: 2 }, { position: 7 }], [maskOf([2])]))).toEqual({ reach: 'wide', revote: true });
    expect(voterEffort(votingFingers([{ position: 2 }, { position: 7 }], [maskOf([2, 7])]))).toEqual({ reach: 'near', revote: false });
    expect(voterEffort(votingFingers(probe, [maskOf(TEN)]))).toEqual({ reach: 'near', revote: false });
  });

  it('chooses the same voters whatever order the subjects were added in', () => {
    const masks = [maskOf(TEN), maskOf([3, 7, 10]), maskOf([1, 10])];
    const chosen = fingers(masks);
    expect(fingers([masks[0], masks[2], masks[1]])).toEqual(chosen);
    expect(fingers([...masks].reverse())).toEqual(chosen);
    // {1, 10} needs fingers 0 and 9 (its only two); {3, 7, 10} is then reached by 9 and needs one more, the better of 2 and 6.
    expect(chosen).toEqual([0, 1, 3, 5, 6, 8, 9]);
  });

  it('counts a finger of unknown position, in the probe or the gallery, as reaching every position', () => {
    expect(fingers([maskOf([7])], [{ position: 3 }, { position: 0 }])).toEqual([1]);
    expect(fingers([maskOf([0])], [{ position: 3 }, { position: 8 }])).toEqual([0, 1]);
  });

  it('lets every finger vote when the probe has few, and none when nothing is held', () => {
    expect(fingers([maskOf(TEN)], [{ position: 7, quality: 50 }, { position: 2, quality: 80 }])).toEqual([0, 1]);
    expect(votingFingers(probe, [])).toEqual({ fingers: [], leastReach: 0 });
  });
});

describe('GalleryShard with voting fingers', () => {
  it('finds a ten-print mate, and a two-finger subject whose positions are not among the best fingers, with a ten-finger probe', () => {
    // 300 people of ten fingers (3,000 fingers, past the shortlist), then a traveller with fingers 2 and 7 only.
    const shard = new GalleryShard();
    const finger = (k: number) => populationTemplate(k + 1);
    for (let k = 0; k < 3000; k++) shard.add(`S${Math.floor(k / 10)}`, (k % 10) + 1, encodeTemplate(finger(k)));
    shard.add('T', 2, encodeTemplate(finger(5000)));
    shard.add('T', 7, encodeTemplate(finger(5001)));
    const impression = (k: number) => prepareTemplate(transformTemplate(finger(k), { rotation: 0.3, dx: 15, dy: -10, jitter: 2, seed: k }));
    // Person 123's ten fingers; positions 2 and 7 rated worst, so they are not among the voters by quality.
    const person = TEN.map((position) => ({ position, template: impression(1230 + position - 1), quality: position === 2 || position === 7 ? 10 : 80 }));
    expect(shard.search(person, 5, 0)[0].subjectId).toBe('S123');
    // The traveller's two fingers inside a ten-finger probe whose other fingers are strangers' (rated best).
    const traveller = TEN.map((position) => ({
      position,
      template: position === 2 ? impression(5000) : position === 7 ? impression(5001) : impression(4000 + position),
      quality: position === 2 || position === 7 ? 10 : 80,
    }));
    expect(shard.search(traveller, 5, 0)[0].subjectId).toBe('T');
  });
});
