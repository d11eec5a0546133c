import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateMaster, renderImpression, subjectFinger } from './index.ts';
import { extractTemplate } from '../extraction/extract-template.ts';
import { prepareTemplate } from '../matching/prepared-template.ts';
import { compareTemplates } from '../matching/compare-templates.ts';
import { scoreForFmr } from '../matching/calibration.ts';

const hash = (pixels: Uint8Array) => createHash('sha256').update(pixels).digest('hex');
const template = (pixels: ReturnType<typeof renderImpression>) => prepareTemplate(extractTemplate(pixels));

describe('synthetic fingerprints', () => {
  it('are deterministic: the same seed gives the same bytes', () => {
    const a = renderImpression(generateMaster(42), 7);
    const b = renderImpression(generateMaster(42), 7);
    expect(hash(a.pixels)).toBe(hash(b.pixels));
    expect(hash(renderImpression(generateMaster(42), 8).pixels)).not.toBe(hash(a.pixels));
  });

  it('produce the singular points of the class asked for', () => {
    expect(generateMaster(1, { fingerClass: 'arch' }).singularPoints).toMatchObject({ cores: [], deltas: [] });
    for (const fingerClass of ['left_loop', 'right_loop', 'tented_arch'] as const) {
      const { cores, deltas } = generateMaster(2, { fingerClass }).singularPoints;
      expect([cores.length, deltas.length]).toEqual([1, 1]);
    }
    const whorl = generateMaster(3, { fingerClass: 'whorl' }).singularPoints;
    expect([whorl.cores.length, whorl.deltas.length]).toEqual([2, 2]);
  });

  it('make impressions of one finger that match, and fingers of different seeds that do not', () => {
    const finger = subjectFinger(100, 2);
    const first = template(renderImpression(finger, 1));
    const second = template(renderImpression(finger, 2));
    const other = template(renderImpression(subjectFinger(101, 2), 1));
    expect(compareTemplates(first, second)).toBeGreaterThan(scoreForFmr(1e-4));
    expect(compareTemplates(first, other)).toBeLessThan(scoreForFmr(1e-3));
  });

  it('look like prints: dark ridges inside a lighter background, at 500 ppi', () => {
    const image = renderImpression(generateMaster(5), 1);
    expect(image.ppi).toBe(500);
    const corner = image.pixels[0];
    const centre = image.pixels[Math.floor(image.height / 2) * image.width + Math.floor(image.width / 2)];
    expect(corner).toBeGreaterThan(180);
    let dark = 0;
    for (const p of image.pixels) if (p < 120) dark++;
    expect(dark / image.pixels.length).toBeGreaterThan(0.05);
    expect(centre).toBeLessThan(256);
  });
});
