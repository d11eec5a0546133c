import { describe, expect, it } from 'vitest';
import { scoreForFmr } from '../../biometrics/matching/calibration.ts';
import { fuseFingerScores, fuseWithoutBest } from '../../biometrics/matching/fusion.ts';
import type { Candidate } from '../../biometrics/matching/gallery.ts';
import { matchLevel, perSearch } from './identification.ts';

/** A candidate as a search of `searched` subjects reports it, with these per-finger scores. */
function candidate(scores: number[], searched: number): Candidate {
  return {
    subjectId: 'S',
    score: scores.reduce((a, b) => a + b, 0),
    fmr: fuseFingerScores(scores),
    fmrWithoutBest: fuseWithoutBest(scores),
    searched,
    fingers: scores.map((score, k) => ({ position: k + 1, score })),
  };
}

describe('matchLevel', () => {
  it('does not identify on one strong finger and one weak one: the security review case is a possible match (F2)', () => {
    // An impostor of the demo population against a wanted person: finger scores 13.5 and 7.5 in a gallery of 16.
    const impostor = candidate([13.5, 7.5], 16);
    expect(impostor.fmr).toBeLessThan(1e-6); // what the rule used to call an identification
    expect(matchLevel(impostor)).toBe('possible');
  });

  it('never identifies on a single finger, however strong: an examiner decides', () => {
    expect(matchLevel(candidate([scoreForFmr(1e-20)], 1))).toBe('possible');
  });

  it('identifies when the fused evidence holds per search and without the best finger', () => {
    expect(matchLevel(candidate([scoreForFmr(1e-9), scoreForFmr(1e-7)], 100))).toBe('identified');
    // The same fingers are weaker evidence in a bigger gallery.
    expect(matchLevel(candidate([scoreForFmr(1e-9), scoreForFmr(1e-7)], 10_000))).toBe('possible');
    // Ten prints where no finger stands out but all agree.
    expect(matchLevel(candidate(Array(10).fill(scoreForFmr(1e-3)), 100_000))).toBe('identified');
  });

  it('counts a candidate once per subject searched', () => {
    expect(perSearch(1e-8, 50)).toBeCloseTo(5e-7, 15);
    expect(perSearch(1e-3, 10_000)).toBe(1);
    expect(perSearch(1e-8, 0)).toBe(1e-8);
    expect(matchLevel(candidate([scoreForFmr(1e-5)], 1))).toBe('possible');
    expect(matchLevel(candidate([scoreForFmr(1e-5)], 1000))).toBe('none');
    expect(matchLevel(undefined)).toBe('none');
  });
});
