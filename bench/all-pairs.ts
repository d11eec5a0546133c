import { compareTemplates } from '../src/biometrics/matching/compare-templates.ts';
import type { PreparedTemplate } from '../src/biometrics/matching/prepared-template.ts';

/** 1:1 comparisons per second over every pair of `prepared`, repeated for 3 seconds on one core. */
export function allPairsPerSecond(prepared: readonly PreparedTemplate[]): number {
  let comparisons = 0;
  const started = performance.now();
  while (performance.now() - started < 3000) {
    for (let a = 0; a < prepared.length; a++) {
      for (let b = a + 1; b < prepared.length; b++) compareTemplates(prepared[a], prepared[b]);
      comparisons += prepared.length - a - 1;
    }
  }
  return comparisons / ((performance.now() - started) / 1000);
}
