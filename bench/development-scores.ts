import { DEVELOPMENT_SETS, fvcTemplates, type FvcSet } from './datasets.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { allPairScores, pairIndex } from './pair-scores.ts';

/** One impression of the development sets; `finger` names the set too, so no two sets share one. */
export interface Entry {
  set: number;
  finger: string;
  impression: string;
  template: FingerprintTemplate;
}

/** Every impression of the development sets found, and the score of every pair of them. */
export interface DevelopmentScores {
  sets: FvcSet[];
  missing: string[];
  entries: Entry[];
  /** All-pairs triangle: see `score`. */
  triangle: Float32Array;
  score(a: number, b: number): number;
  /** Where the pair (a, b) sits in the triangle. */
  pairIndex(a: number, b: number): number;
}

let cached: Promise<DevelopmentScores> | undefined;

/**
 * The four development sets extracted, and all their pairs compared once (about 3.3 million
 * comparisons on every core): the genuine pairs of each set, its FVC impostor pairs, and the
 * cross-set impostor pairs, whose fingers all belong to different people. Once per bench run.
 */
export function developmentScores(): Promise<DevelopmentScores> {
  cached ??= (async () => {
    const sets: FvcSet[] = [];
    const missing: string[] = [];
    const entries: Entry[] = [];
    for (const set of DEVELOPMENT_SETS) {
      const items = await fvcTemplates(set);
      if (!items) {
        missing.push(set.name);
        continue;
      }
      for (const item of items) entries.push({ set: sets.length, finger: `${set.name}/${item.finger}`, impression: item.impression, template: item.template });
      sets.push(set);
    }
    const triangle = await allPairScores(entries.map((entry) => entry.template));
    const n = entries.length;
    return { sets, missing, entries, triangle, score: (a, b) => triangle[pairIndex(n, a, b)], pairIndex: (a, b) => pairIndex(n, a, b) };
  })();
  return cached;
}

/** Calls `visit(a, b, score)` for every impostor pair (different fingers) whose templates both pass `keep`. */
export function forEachImpostor(scores: DevelopmentScores, keep: (entry: Entry) => boolean, visit: (a: number, b: number, score: number) => void): void {
  const { entries, triangle } = scores;
  const n = entries.length;
  let index = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++, index++) {
      if (entries[a].finger !== entries[b].finger && keep(entries[a]) && keep(entries[b])) visit(a, b, triangle[index]);
    }
  }
}
