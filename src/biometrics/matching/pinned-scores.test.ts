import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTemplate } from '../template-codec.ts';
import { compareTemplates } from './compare-templates.ts';
import { prepareTemplate } from './prepared-template.ts';
import { pinnedScores, PINNED_SCORES_FILE, type PinnedScores } from './pinned-scores.ts';

// Written by bench/pin-scores.ts from the matcher as it was; a change made for speed must leave
// every score and pairing exactly as they were.
const pinned = JSON.parse(readFileSync(PINNED_SCORES_FILE, 'utf8')) as PinnedScores;
const templates = pinned.templates.map((t) => decodeTemplate(Buffer.from(t.template, 'base64')));

describe('the matcher against its pinned scores', () => {
  it('covers genuine and impostor pairs, with and without ridge flow', () => {
    expect(templates.length).toBeGreaterThanOrEqual(20);
    expect(templates.some((t) => t.orientation === undefined)).toBe(true);
    const scores = pinned.comparisons.map((c) => c[2]);
    expect(scores.filter((s) => s > 30).length).toBeGreaterThan(40);
    expect(scores.filter((s) => s > 0 && s < 5).length).toBeGreaterThan(100);
  });

  it('gives every ordered pair of the fixture templates the same score and pairing, bit for bit', () => {
    const now = pinnedScores(templates);
    const differ = now.filter((c, k) => !Object.is(c[2], pinned.comparisons[k][2]) || c[3].join() !== pinned.comparisons[k][3].join());
    expect(differ.map(([a, b, score]) => `${pinned.templates[a].name} → ${pinned.templates[b].name}: ${score}, pinned ${pinned.comparisons[a * templates.length + b][2]}`)).toEqual([]);
    expect(now.length).toBe(pinned.comparisons.length);
  });

  it('scores the same through compareTemplates as through explainComparison', () => {
    const prepared = templates.map(prepareTemplate);
    for (const [a, b, score] of pinned.comparisons.filter((_, k) => k % 7 === 0)) expect(compareTemplates(prepared[a], prepared[b])).toBe(score);
  });
});
