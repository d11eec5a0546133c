import type { FingerprintTemplate } from '../template.ts';
import { explainComparison } from './compare-templates.ts';
import { prepareTemplate } from './prepared-template.ts';

/** Fixture prints' templates (base64 of the Concord template format) and every ordered pair's score and pairing. */
export interface PinnedScores {
  templates: { name: string; template: string }[];
  /** Probe index, candidate index, score, and the pairing as flat (probe minutia, candidate minutia) pairs. */
  comparisons: [number, number, number, number[]][];
}

export const PINNED_SCORES_FILE = new URL('../../../fixtures/matching/pinned-scores.json', import.meta.url);

/** Every ordered pair of `templates` (each also against itself) compared as the matcher compares them today. */
export function pinnedScores(templates: readonly FingerprintTemplate[]): PinnedScores['comparisons'] {
  const prepared = templates.map(prepareTemplate);
  const comparisons: PinnedScores['comparisons'] = [];
  for (let a = 0; a < prepared.length; a++) {
    for (let b = 0; b < prepared.length; b++) {
      const { score, pairs } = explainComparison(prepared[a], prepared[b]);
      comparisons.push([a, b, score, pairs.flat()]);
    }
  }
  return comparisons;
}
