/**
 * Which fingers of a many-finger probe let their pairs vote in the first stage. A finger's vote
 * reads its position's whole index, so ten voting fingers cost ten times one; but a mate's prints
 * agree on several fingers, and the best few by image quality find it as surely as all ten do.
 *
 * Fewer voters must not hide a subject from the search: every subject the probe shares fingers
 * with is reached by two voters, or by as many as the probe has for it when fewer. A subject is
 * seen here by its positions only, as a mask (finger-positions.ts), so that a shard keeps a count per
 * mask, not per subject: a gallery of ten-prints has one mask, and one of travellers enrolled by
 * their two index fingers another.
 */

import { positionsReached } from './finger-positions.ts';
import type { Reach } from './pair-features.ts';

/** Fingers that vote in a search of many fingers: the best by quality, and more only where a subject needs them. */
export const VOTERS = 4;
/** Voters that must reach each subject the probe reaches at all (fewer when the probe has fewer for it). */
const REACHED_BY = 2;

export interface VotingCandidate {
  readonly position: number;
  /** The capture's quality (0–100); unknown counts as 0, so such fingers vote in the probe's order. */
  readonly quality?: number;
}

export interface Voters {
  /** Indexes into the probe, in its order. */
  readonly fingers: number[];
  /** Voters that reach the least-reached subject the probe reaches (0 when it reaches none). */
  readonly leastReach: number;
}

/**
 * The probe fingers that vote: each finger that reaches a subject when the probe has at most
 * VOTERS of them, else the best VOTERS by quality (ties: the first) and, where a subject's mask is
 * reached by fewer than REACHED_BY of those, the best of the others that reach it. Masks are
 * taken fewest-reaching first, so the choice does not depend on the order subjects were added.
 */
export function votingFingers(probe: readonly VotingCandidate[], masks: Iterable<number>): Voters {
  const byQuality = probe
    .map((finger, k) => ({ k, reach: positionsReached(finger.position), quality: finger.quality ?? 0 }))
    .sort((a, b) => b.quality - a.quality || a.k - b.k);
  const reachedBy = <F extends { reach: number }>(mask: number, fingers: readonly F[]) => fingers.filter((finger) => (mask & finger.reach) !== 0);
  const held = [...masks]
    .map((mask) => ({ mask, able: reachedBy(mask, byQuality) }))
    .filter(({ able }) => able.length > 0)
    .sort((a, b) => a.able.length - b.able.length || a.mask - b.mask);
  const chosen = byQuality.filter((finger) => held.some(({ able }) => able.includes(finger))).slice(0, VOTERS);
  for (const { mask, able } of held) {
    const needed = Math.min(REACHED_BY, able.length);
    for (const finger of able) {
      if (reachedBy(mask, chosen).length >= needed) break;
      if (!chosen.includes(finger)) chosen.push(finger);
    }
  }
  const leastReach = held.length === 0 ? 0 : Math.min(...held.map(({ mask }) => reachedBy(mask, chosen).length));
  return { fingers: chosen.map((finger) => finger.k).sort((a, b) => a - b), leastReach };
}

/** How hard each voter searches: how far it reads the index (pair-features.ts), and whether its best-voted are voted for again on turn and shift (shift-votes.ts). */
export interface Effort {
  readonly reach: Reach;
  readonly revote: boolean;
}

/**
 * A lone voter, whether the probe has one finger or only one that reaches anyone, has no other
 * finger to find its mate with, so it reads both neighbouring cells along each angle and has its
 * best-voted voted for again; several voters read near, and their rankings together find the mate.
 */
export function voterEffort(voters: Voters): Effort {
  const lone = voters.fingers.length === 1;
  return { reach: lone ? 'wide' : 'near', revote: lone };
}
