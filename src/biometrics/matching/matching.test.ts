import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTemplate } from '../extraction/extract-template.ts';
import { fixtureImage, transformTemplate } from '../testing/fixtures.ts';
import { NO_RIDGES, type FingerprintTemplate } from '../template.ts';
import { compareTemplates, NO_FLOW_SCALE } from './compare-templates.ts';
import { prepareTemplate } from './prepared-template.ts';
import { fitCalibration, fmrForScore, LEAST_EVIDENCE_SCORE, scoreForFmr } from './calibration.ts';
import { fuseFalseMatchRates, fuseFingerScores, fuseWithoutBest } from './fusion.ts';
import { FingerprintGallery } from './gallery.ts';

const THRESHOLD = scoreForFmr(1e-4);
const templates: Record<string, FingerprintTemplate> = {};

beforeAll(async () => {
  for (const name of ['101_1', '101_2', '101_3', '102_1', '103_1']) templates[name] = extractTemplate(await fixtureImage(`${name}.png`));
});

const score = (a: FingerprintTemplate, b: FingerprintTemplate) => compareTemplates(prepareTemplate(a), prepareTemplate(b));
/** The score before the checks that need orientation maps: without maps, unscaled. */
const uncheckedScore = (a: FingerprintTemplate, b: FingerprintTemplate) => score({ ...a, orientation: undefined }, { ...b, orientation: undefined }) / NO_FLOW_SCALE;

describe('compareTemplates', () => {
  it('matches a print with a rotated, moved, cropped and jittered copy of itself above the 1-in-10,000 threshold', () => {
    const original = templates['101_1'];
    for (const rotation of [-0.5, 0.2, 0.45]) {
      const copy = transformTemplate(original, { rotation, dx: 30, dy: -20, jitter: 3, keep: (m) => m.y > 60 });
      expect(score(original, copy)).toBeGreaterThan(THRESHOLD);
    }
  });

  it('weighs a pairing by ridge flow: a copy whose ridges flow alike keeps its score, one whose flow is turned loses it', () => {
    const original = templates['101_1'];
    const copy = transformTemplate(original, { rotation: 0.45, dx: 30, dy: -20, jitter: 3 });
    const unchecked = uncheckedScore(original, copy);
    expect(score(original, copy)).toBeGreaterThan(0.9 * unchecked);
    const map = copy.orientation!;
    const crossed = { ...copy, orientation: { ...map, angles: map.angles.map((angle) => (angle === NO_RIDGES ? angle : (angle + 90) % 180)) } };
    expect(score(original, crossed)).toBeLessThan(0.1 * unchecked);
  });

  it('weighs a pairing by how well one rigid motion explains it: minutiae scattered about their places lose weight', () => {
    const original = templates['101_1'];
    const motion = { rotation: 0.45, dx: 30, dy: -20 };
    // The same motion (so the same ridge flow), minutiae moved up to ±1.5 px or ±7 px each way.
    const [close, scattered] = [3, 14].map((jitter) => transformTemplate(original, { ...motion, jitter }));
    expect(score(original, close) / uncheckedScore(original, close)).toBeGreaterThan(0.95);
    expect(score(original, scattered) / uncheckedScore(original, scattered)).toBeLessThan(0.85);
  });

  it('scores prints of different fingers below the threshold', () => {
    for (const [a, b] of [['101_1', '102_1'], ['101_2', '103_1'], ['102_1', '103_1']]) {
      expect(score(templates[a], templates[b])).toBeLessThan(THRESHOLD);
    }
  });

  it('scores impressions of one finger well above impressions of different fingers', () => {
    const genuine = Math.min(score(templates['101_1'], templates['101_2']), score(templates['101_1'], templates['101_3']));
    const impostor = Math.max(score(templates['101_1'], templates['102_1']), score(templates['101_3'], templates['103_1']));
    expect(genuine).toBeGreaterThan(impostor);
    expect(fmrForScore(genuine)).toBeLessThan(0.01);
  });

  it('is nearly symmetric', () => {
    const ab = score(templates['101_1'], templates['101_3']);
    const ba = score(templates['101_3'], templates['101_1']);
    expect(Math.abs(ab - ba)).toBeLessThan(0.25 * Math.max(ab, ba));
  });

  it('scores 0 for empty and near-empty templates without failing', () => {
    const empty = { width: 300, height: 300, quality: 0, minutiae: [] };
    const one = { ...empty, minutiae: [{ x: 10, y: 10, angle: 1, type: 'ending' as const, quality: 50 }] };
    expect(score(empty, templates['101_1'])).toBe(0);
    expect(score(templates['101_1'], one)).toBe(0);
    expect(score(one, one)).toBe(0);
  });
});

describe('calibration', () => {
  it('maps higher scores to lower false-match rates, and thresholds back to scores', () => {
    let previous = 1;
    for (let s = 0; s < 40; s += 0.5) {
      const fmr = fmrForScore(s);
      expect(fmr).toBeLessThanOrEqual(previous);
      previous = fmr;
    }
    expect(fmrForScore(scoreForFmr(1e-4))).toBeCloseTo(1e-4, 8);
    expect(() => scoreForFmr(0)).toThrow(RangeError);
  });

  it('fits the measured survival of impostor scores and extrapolates its tail', () => {
    // 100,000 scores whose survival is exactly 10^(−(s − 2)/4): measured down to FMR 2.5e-4.
    const scores = Array.from({ length: 100_000 }, (_, k) => 2 - 4 * Math.log10((k + 1) / 100_000));
    const model = fitCalibration(scores);
    expect(model.perDecade).toBeCloseTo(4, 1);
    for (const score of [4, 10, 14, 30]) expect(Math.log10(fmrForScore(score, model))).toBeCloseTo(-(score - 2) / 4, 1);
    expect(scoreForFmr(1e-3, model)).toBeCloseTo(14, 1);
    expect(scoreForFmr(1e-9, model)).toBeCloseTo(38, 1);
    expect(() => fitCalibration(scores.slice(0, 1000))).toThrow(RangeError);
  });

  it('fuses finger scores so that two strong fingers beat one, and many weak fingers stay weak', () => {
    const strong = scoreForFmr(1e-4);
    expect(fuseFingerScores([strong, strong])).toBeLessThan(fuseFingerScores([strong]));
    expect(fuseFingerScores(Array(10).fill(scoreForFmr(0.3)))).toBeGreaterThan(0.01);
    // Below the calibrated range a finger is no evidence: it neither helps nor hurts.
    expect(fuseFingerScores([strong, scoreForFmr(0.5)])).toBe(fuseFingerScores([strong, 0]));
    expect(fuseFingerScores(Array(10).fill(scoreForFmr(0.2)))).toBe(1);
  });

  it('discounts every finger but the best by the fusion weight, and keeps one finger at its own FMR', () => {
    expect(fuseFalseMatchRates([1e-4])).toBeCloseTo(1e-4, 12);
    expect(fuseFalseMatchRates([1e-4], 0.5)).toBeCloseTo(1e-4, 12);
    // Fisher's method for two independent fingers: p₁p₂(1 − ln p₁p₂).
    expect(fuseFalseMatchRates([1e-4, 1e-3], 1)).toBeCloseTo(1e-7 * (1 - Math.log(1e-7)), 15);
    const discounted = fuseFalseMatchRates([1e-4, 1e-3], 0.5);
    expect(discounted).toBeGreaterThan(fuseFalseMatchRates([1e-4, 1e-3], 1));
    expect(discounted).toBeLessThan(1e-4);
    // Whichever order the fingers come in.
    expect(fuseFalseMatchRates([1e-3, 1e-4], 0.5)).toBe(discounted);
  });

  it('fuses the fingers other than the best one, whichever place the best one has', () => {
    const [strong, fair] = [scoreForFmr(1e-9), scoreForFmr(1e-3)];
    expect(fuseWithoutBest([strong])).toBe(1);
    expect(fuseWithoutBest([strong, fair])).toBe(fuseFingerScores([fair]));
    expect(fuseWithoutBest([fair, strong, fair])).toBe(fuseFingerScores([fair, fair]));
  });
});

describe('FingerprintGallery', () => {
  const galleries: FingerprintGallery[] = [];
  afterAll(async () => Promise.all(galleries.map((g) => g.close())));

  async function filled(workers: number): Promise<FingerprintGallery> {
    const gallery = new FingerprintGallery({ workers });
    galleries.push(gallery);
    gallery.add('subject-101', 2, templates['101_1']);
    gallery.add('subject-101', 7, transformTemplate(templates['101_1'], { rotation: 0.3, dx: 5, dy: 5, jitter: 2 }));
    gallery.add('subject-102', 2, templates['102_1']);
    gallery.add('subject-102', 7, templates['103_1']);
    for (let k = 0; k < 20; k++) gallery.add(`filler-${k}`, 2, transformTemplate(templates[k % 2 ? '102_1' : '103_1'], { rotation: k, dx: 0, dy: 0, jitter: 25, seed: k }));
    return gallery;
  }

  it('ranks the right subject first for a two-finger probe, in this thread and in workers alike', async () => {
    const probe = [
      { position: 2, template: templates['101_2'] },
      { position: 7, template: templates['101_3'] },
    ];
    const inThread = await (await filled(0)).search(probe, { limit: 5 });
    const inWorkers = await (await filled(2)).search(probe, { limit: 5 });
    expect(inThread[0].subjectId).toBe('subject-101');
    expect(inThread[0].fingers).toHaveLength(2);
    expect(inThread[0].fmr).toBeLessThan(1e-3);
    expect(inThread[0].fmrWithoutBest).toBe(fuseWithoutBest(inThread[0].fingers.map((f) => f.score)));
    // Every subject searched was a chance of a false match, wherever it was held.
    expect(inThread.every((c) => c.searched === 22)).toBe(true);
    expect(inWorkers.every((c) => c.searched === 22)).toBe(true);
    expect(inWorkers.map((c) => [c.subjectId, c.score])).toEqual(inThread.map((c) => [c.subjectId, c.score]));
    // Only subjects that some finger gives evidence for are candidates.
    expect(inThread.every((c) => c.fingers.some((f) => f.score >= LEAST_EVIDENCE_SCORE))).toBe(true);
  });

  it('finds, by an exhaustive search, a finger of another subject scoring at least as well, in this thread and in workers alike', async () => {
    const probe = { position: 2, template: prepareTemplate(templates['101_2']) };
    for (const workers of [0, 2]) {
      const gallery = await filled(workers);
      const mate = compareTemplates(probe.template, prepareTemplate(templates['101_1']));
      // Nobody else scores as well as the mate: the full matcher alone would rank subject-101 first.
      expect(await gallery.rival(probe, mate, 'subject-101')).toBeUndefined();
      // Set against a lower score, a stranger is found, with its own score, which is at least that.
      const stranger = compareTemplates(probe.template, prepareTemplate(templates['102_1']));
      const rival = await gallery.rival(probe, stranger, 'subject-101');
      expect(rival).toBeDefined();
      expect(rival!.subjectId).not.toBe('subject-101');
      expect(rival!.score).toBeGreaterThanOrEqual(stranger);
      // Without the subject left out, its own finger is a rival too; once it is removed, no longer.
      expect((await gallery.rival(probe, mate, 'nobody'))?.subjectId).toBe('subject-101');
      gallery.remove('subject-101');
      expect(await gallery.rival(probe, mate, 'nobody')).toBeUndefined();
      // Only fingers of a position the probe may match are compared: nobody holds a right middle finger (3).
      expect(await gallery.rival({ position: 3, template: probe.template }, 0, 'nobody')).toBeUndefined();
      expect(await gallery.rival({ position: 0, template: probe.template }, 0, 'nobody')).toBeDefined();
    }
  });

  it('counts and removes subjects', async () => {
    const gallery = await filled(2);
    expect(gallery.size).toBe(24);
    gallery.remove('subject-101');
    expect(gallery.size).toBe(22);
    const results = await gallery.search([{ position: 2, template: templates['101_2'] }], { limit: 3 });
    expect(results.map((c) => c.subjectId)).not.toContain('subject-101');
  });

  it('fails its searches, now and later, once a worker has stopped, instead of waiting for it forever', async () => {
    const gallery = await filled(2);
    await gallery.settled();
    // A worker ended from outside, as an out-of-memory end would: its share of the fingers is gone.
    const { shards } = gallery as unknown as { shards: { worker: { terminate(): Promise<number> } }[] };
    await shards[0].worker.terminate();
    await expect(gallery.settled()).rejects.toThrow(/gallery worker 0 stopped/);
    await expect(gallery.search([{ position: 2, template: templates['101_2'] }], { limit: 3 })).rejects.toThrow(/can no longer be searched/);
  });
});
