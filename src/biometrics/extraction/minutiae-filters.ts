import type { RawMinutia } from './minutiae-detection.ts';

/**
 * Removes the false minutiae that skeletons are known to produce, by their geometry:
 * - spurs and short ridges: an ending whose ridge reaches another minutia within a few pixels;
 * - bridges and holes (lakes): bifurcations whose branch runs into another junction at once;
 * - broken ridges: two endings facing each other across a small gap along the ridge flow;
 * - clusters: several minutiae crowded into a spot smaller than a ridge period, which is noise;
 * - duplicates: two detections of one junction a pixel or two apart.
 * Distances are in pixels at 500 ppi (a ridge period is about 9 px), except the cluster radius:
 * half the print's own ridge period, a spot one period across. Real minutiae on neighbouring
 * ridges lie about a period apart, so a wider radius (10 px once, over two periods) also removes
 * real ones.
 */
const SHORT_BRANCH = 10;
const BREAK_GAP = 18;
const CLUSTER_PERIODS = 0.5;
const DUPLICATE_RADIUS = 3;

/** `ridgePeriod`: the print's ridge period in pixels (ridge plus valley). */
export function removeFalseMinutiae(minutiae: RawMinutia[], ridgePeriod: number): RawMinutia[] {
  const clusterRadius = CLUSTER_PERIODS * ridgePeriod;
  const keep = minutiae.map(() => true);

  // Spurs, short ridges, bridges, holes: a branch that stops at a junction or ending at once.
  minutiae.forEach((m, i) => {
    if (m.branchStop !== 'length' && m.shortestBranch < SHORT_BRANCH) keep[i] = false;
  });

  // Duplicates of one junction.
  for (let i = 0; i < minutiae.length; i++) {
    for (let j = i + 1; j < minutiae.length; j++) {
      if (keep[i] && keep[j] && distance(minutiae[i], minutiae[j]) <= DUPLICATE_RADIUS) keep[j] = false;
    }
  }

  // Facing endings across a gap: a ridge broken by a crease or dryness.
  for (let i = 0; i < minutiae.length; i++) {
    const a = minutiae[i];
    if (a.kind !== 'ending') continue;
    for (let j = i + 1; j < minutiae.length; j++) {
      const b = minutiae[j];
      if (b.kind !== 'ending' || distance(a, b) > BREAK_GAP) continue;
      // Each ending's direction points back along its own ridge, so across a break they oppose,
      // and the gap from a to b runs against a's direction.
      const gap = Math.atan2(b.y - a.y, b.x - a.x);
      if (angleBetween(a.direction, b.direction + Math.PI) < Math.PI / 4 && angleBetween(gap, a.direction + Math.PI) < Math.PI / 3) {
        keep[i] = false;
        keep[j] = false;
      }
    }
  }

  // Clusters: noise makes many minutiae in a spot smaller than a ridge period.
  const crowded = minutiae.map((m, i) => {
    let close = 0;
    for (let j = 0; j < minutiae.length; j++) if (j !== i && distance(m, minutiae[j]) < clusterRadius) close++;
    return close >= 2;
  });
  return minutiae.filter((_, i) => keep[i] && !crowded[i]);
}

function distance(a: RawMinutia, b: RawMinutia): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function angleBetween(a: number, b: number): number {
  const d = Math.abs(a - b) % (2 * Math.PI);
  return d > Math.PI ? 2 * Math.PI - d : d;
}
