/**
 * Which fingers of a many-finger probe let their pairs vote in the first stage. A finger's vote
 * reads its position's whole index, so ten voting fingers cost ten times one; but a mate's prints
 * agree on several fingers, and the best few by image quality find it as surely as all ten do.
 *
 * Fewer voters must not hide a subject from the search: every subject the probe shares fingers
 * with is reached by two voters, or by as many as the probe has for its fingers when fewer. A
 * subject is seen here by its positions only, as a mask (`positionBit`), so that a shard keeps a
 * count per mask, not per subject: a gallery of ten-prints has one mask, a port's two.
 */

/** Fingers that vote in a search of many fingers, at least: the best by quality. */
export const VOTERS = 4;
/** Voters that must reach each subject the probe reaches at all (fewer when the probe has fewer for it). */
const REACHED_BY = 2;
/** Every position, unknown (0) and 1–10. */
const ALL_POSITIONS = (1 << 11) - 1;

export interface VotingCandidate {
  readonly position: number;
  /** The capture's quality (0–100); unknown counts as 0. */
  readonly quality?: number;
}

/** The bit of a finger position in a subject's mask of positions. */
export function positionBit(position: number): number {
  return 1 << position;
}

/** The positions a probe finger is compared with: its own and unknown ones, or all when its own is unknown. */
function reach(position: number): number {
  return position === 0 ? ALL_POSITIONS : positionBit(position) | positionBit(0);
}

/**
 * The probe fingers that vote, as indexes into `probe` in its order: each finger that reaches a
 * subject when the probe has at most VOTERS of them, else the best VOTERS by quality (ties: the
 * first) and, where a subject's mask is reached by fewer than REACHED_BY of those, the best of
 * the others that reach it.
 */
export function votingFingers(probe: readonly VotingCandidate[], masks: Iterable<number>): number[] {
  const held = [...masks];
  const reaching = probe
    .map((finger, k) => ({ k, reach: reach(finger.position), quality: finger.quality ?? 0 }))
    .filter((finger) => held.some((mask) => (mask & finger.reach) !== 0))
    .sort((a, b) => b.quality - a.quality || a.k - b.k);
  const chosen = reaching.slice(0, VOTERS);
  for (const mask of held) {
    const able = reaching.filter((finger) => (mask & finger.reach) !== 0);
    const needed = Math.min(REACHED_BY, able.length);
    for (const finger of able) {
      if (chosen.filter((voter) => (mask & voter.reach) !== 0).length >= needed) break;
      if (!chosen.includes(finger)) chosen.push(finger);
    }
  }
  return chosen.map((finger) => finger.k).sort((a, b) => a - b);
}
