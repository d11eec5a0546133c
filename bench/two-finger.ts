import type { DevelopmentScores } from './development-scores.ts';

/** Per-finger scores of two-finger comparisons, two numbers per comparison (finger 1, finger 2). */
export interface TwoFingerScores {
  subjects: number;
  genuine: Float32Array;
  impostor: Float32Array;
}

/**
 * Virtual two-finger people: every unordered pair of fingers of one set, its k-th impression the
 * two fingers' k-th impressions (captured alike, as the two prints of one visit are). Genuine
 * comparisons: two impressions of one person. Impostor comparisons: any impressions of two people
 * who share no finger, in the same set or across sets, finger 1 compared with finger 1 and 2
 * with 2. The fingers of an FVC set belong to different people, so these subjects cannot show
 * how one person's fingers resemble each other; they do show what a sensor and a skin condition
 * shared by both fingers of a capture do. `keep` chooses the sets taken.
 */
export function twoFingerScores(scores: DevelopmentScores, keep: (set: number) => boolean = () => true): TwoFingerScores {
  const byFinger = new Map<string, Map<string, number>>();
  const setOf = new Map<string, number>();
  scores.entries.forEach((entry, k) => {
    if (!keep(entry.set)) return;
    if (!byFinger.has(entry.finger)) byFinger.set(entry.finger, new Map());
    byFinger.get(entry.finger)!.set(entry.impression, k);
    setOf.set(entry.finger, entry.set);
  });
  const fingers = [...byFinger.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const subjects: { first: string; second: string; impressions: [number, number][] }[] = [];
  for (let i = 0; i < fingers.length; i++) {
    for (let j = i + 1; j < fingers.length; j++) {
      const [first, second] = [fingers[i], fingers[j]];
      if (setOf.get(first) !== setOf.get(second)) continue;
      const impressions: [number, number][] = [];
      for (const [label, a] of byFinger.get(first)!) {
        const b = byFinger.get(second)!.get(label);
        if (b !== undefined) impressions.push([a, b]);
      }
      subjects.push({ first, second, impressions });
    }
  }
  const genuine: number[] = [];
  for (const { impressions } of subjects) {
    for (let i = 0; i < impressions.length; i++) {
      for (let j = i + 1; j < impressions.length; j++) genuine.push(scores.score(impressions[i][0], impressions[j][0]), scores.score(impressions[i][1], impressions[j][1]));
    }
  }
  let count = 0;
  for (let s = 0; s < subjects.length; s++) {
    for (let t = s + 1; t < subjects.length; t++) if (disjoint(subjects[s], subjects[t])) count += subjects[s].impressions.length * subjects[t].impressions.length;
  }
  const impostor = new Float32Array(2 * count);
  let k = 0;
  for (let s = 0; s < subjects.length; s++) {
    for (let t = s + 1; t < subjects.length; t++) {
      if (!disjoint(subjects[s], subjects[t])) continue;
      for (const [a1, a2] of subjects[s].impressions) {
        for (const [b1, b2] of subjects[t].impressions) {
          impostor[k++] = scores.score(a1, b1);
          impostor[k++] = scores.score(a2, b2);
        }
      }
    }
  }
  return { subjects: subjects.length, genuine: Float32Array.from(genuine), impostor };
}

function disjoint(x: { first: string; second: string }, y: { first: string; second: string }): boolean {
  return x.first !== y.first && x.first !== y.second && x.second !== y.first && x.second !== y.second;
}
