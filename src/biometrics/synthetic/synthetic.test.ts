import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { CAPTURE_DIFFICULTY, CLASS_FREQUENCIES, generateMaster, generateTenPrint, masterMinutiae, renderImpression, subjectFinger, type FingerClass } from './index.ts';
import { drawClass } from './orientation-model.ts';
import { seededRandom } from './random.ts';
import { silhouetteReach } from './silhouette.ts';
import { extractTemplate } from '../extraction/extract-template.ts';
import { prepareTemplate } from '../matching/prepared-template.ts';
import { compareTemplates } from '../matching/compare-templates.ts';
import { scoreForFmr } from '../matching/calibration.ts';
import type { GrayImage } from '../gray-image.ts';

const hash = (bytes: ArrayBufferView) => createHash('sha256').update(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)).digest('hex');
const template = (image: GrayImage) => prepareTemplate(extractTemplate(image));
const small = { width: 160, height: 200 };

function correlation(a: Float32Array, b: Float32Array): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('synthetic fingerprints', () => {
  it('are deterministic: the same seeds give the same bytes, other seeds other bytes', () => {
    const master = generateMaster(42, small);
    expect(hash(master.ridges)).toBe(hash(generateMaster(42, small).ridges));
    const a = renderImpression(master, 7);
    expect(hash(a.pixels)).toBe(hash(renderImpression(generateMaster(42, small), 7).pixels));
    expect(hash(renderImpression(master, 8).pixels)).not.toBe(hash(a.pixels));
  });

  it('make distinct fingers from distinct seeds, even of the same class', () => {
    const a = generateMaster(1, { ...small, fingerClass: 'whorl' });
    const b = generateMaster(2, { ...small, fingerClass: 'whorl' });
    expect(Math.abs(correlation(a.ridges, b.ridges))).toBeLessThan(0.3);
    expect(correlation(a.ridges, a.ridges)).toBeCloseTo(1, 5);
  });

  it('produce the singular points of the class asked for', () => {
    const counts = (fingerClass: FingerClass) => {
      const { cores, deltas } = generateMaster(3, { ...small, fingerClass }).singularPoints;
      return [cores.length, deltas.length];
    };
    expect(counts('arch')).toEqual([0, 0]);
    expect(counts('tented_arch')).toEqual([1, 1]);
    expect(counts('left_loop')).toEqual([1, 1]);
    expect(counts('right_loop')).toEqual([1, 1]);
    expect(counts('whorl')).toEqual([2, 2]);
    // A left loop's delta lies to the right of its core, a right loop's to the left.
    const left = generateMaster(4, { ...small, fingerClass: 'left_loop' }).singularPoints;
    const right = generateMaster(4, { ...small, fingerClass: 'right_loop' }).singularPoints;
    expect(left.deltas[0].x).toBeGreaterThan(left.cores[0].x);
    expect(right.deltas[0].x).toBeLessThan(right.cores[0].x);
  });

  it('draw classes with their population frequencies', () => {
    const random = seededRandom(9);
    const seen = new Map<FingerClass, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const c = drawClass(random);
      seen.set(c, (seen.get(c) ?? 0) + 1);
    }
    for (const [fingerClass, p] of CLASS_FREQUENCIES) expect((seen.get(fingerClass) ?? 0) / draws).toBeCloseTo(p, 1);
  });

  it('find ground-truth minutiae on the master, inside the finger', () => {
    const master = generateMaster(11);
    const minutiae = masterMinutiae(master);
    expect(minutiae.length).toBeGreaterThan(15);
    expect(minutiae.length).toBeLessThan(150);
    expect(minutiae.some((m) => m.type === 'ending')).toBe(true);
    expect(minutiae.some((m) => m.type === 'bifurcation')).toBe(true);
    for (const m of minutiae) {
      expect(silhouetteReach(master.silhouette, m.x, m.y)).toBeLessThan(1);
      expect(m.angle).toBeGreaterThanOrEqual(0);
      expect(m.angle).toBeLessThan(2 * Math.PI);
    }
  });

  it('make impressions of one finger that differ yet match, and fingers of other seeds that do not', () => {
    const finger = subjectFinger(100, 2);
    const firstImage = renderImpression(finger, 1);
    const secondImage = renderImpression(finger, 2);
    let same = 0;
    for (let i = 0; i < firstImage.pixels.length; i++) if (Math.abs(firstImage.pixels[i] - secondImage.pixels[i]) < 8) same++;
    expect(same / firstImage.pixels.length).toBeLessThan(0.9);
    const first = template(firstImage);
    const second = template(secondImage);
    const other = template(renderImpression(subjectFinger(101, 2), 1));
    expect(compareTemplates(first, second)).toBeGreaterThan(scoreForFmr(1e-3));
    expect(compareTemplates(first, other)).toBeLessThan(scoreForFmr(1e-3));
  });

  it('look like prints: dark ridges on a light background, at 500 ppi; rolled ones cover more', () => {
    const master = generateMaster(5);
    const plain = renderImpression(master, 1);
    const rolled = renderImpression(master, 1, { rolled: true });
    expect(plain.ppi).toBe(500);
    expect(plain.pixels[0]).toBeGreaterThan(190);
    const dark = (image: GrayImage) => image.pixels.filter((p) => p < 128).length / image.pixels.length;
    expect(dark(plain)).toBeGreaterThan(0.08);
    expect(dark(rolled)).toBeGreaterThan(dark(plain));
  });

  it('give ten-print sets by finger position', () => {
    const prints = generateTenPrint(7, 1, { positions: [2, 7] });
    expect([...prints.keys()]).toEqual([2, 7]);
    expect(hash(prints.get(2)!.pixels)).not.toBe(hash(prints.get(7)!.pixels));
  });

  it('reject bad arguments with typed errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return error instanceof ConcordError ? error.code : 'untyped';
      }
      return 'none';
    };
    expect(code(() => generateMaster(-1))).toBe('BAD_ARGUMENT');
    expect(code(() => generateMaster(1.5))).toBe('BAD_ARGUMENT');
    expect(code(() => generateMaster(1, { fingerClass: 'spiral' as FingerClass }))).toBe('BAD_ARGUMENT');
    expect(code(() => generateMaster(1, { width: 10 }))).toBe('BAD_ARGUMENT');
    expect(code(() => subjectFinger(1, 11))).toBe('BAD_ARGUMENT');
    expect(code(() => generateTenPrint(1, -2))).toBe('BAD_ARGUMENT');
  });
});

describe('capture difficulty', () => {
  const master = generateMaster(7);
  const cleanBytes = () => {
    const h = createHash('sha256');
    for (const seed of [1, 2, 3]) h.update(renderImpression(master, seed).pixels);
    h.update(renderImpression(master, 4, { rolled: true }).pixels);
    return h.digest('hex');
  };

  it('keeps clean impressions byte for byte as the generator made them before difficulties existed', () => {
    // The digest of these four impressions made by the generator before capture difficulties.
    expect(cleanBytes()).toBe('07880859c0db449eeddbecba5fdbc48caf9f893d4372afc34ee235ac0ca39e8e');
    expect(hash(renderImpression(master, 1, { capture: CAPTURE_DIFFICULTY.clean }).pixels)).toBe(hash(renderImpression(master, 1).pixels));
  });

  it('makes realistic impressions of the same seeds harder: they differ, and lose ink to partial contact and scars', () => {
    let cleanInk = 0;
    let realisticInk = 0;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const clean = renderImpression(master, seed);
      const realistic = renderImpression(master, seed, { capture: CAPTURE_DIFFICULTY.realistic });
      expect(hash(realistic.pixels)).not.toBe(hash(clean.pixels));
      cleanInk += clean.pixels.filter((p) => p < 128).length;
      realisticInk += realistic.pixels.filter((p) => p < 128).length;
    }
    expect(realisticInk).toBeLessThan(cleanInk);
  });

  it('refuses a strength that is not a number from 0 to 5 with BAD_ARGUMENT', () => {
    for (const bad of [-1, 6, Number.NaN]) {
      const capture = { ...CAPTURE_DIFFICULTY.clean, distortion: bad };
      expect(() => renderImpression(master, 1, { capture })).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }) as ConcordError);
    }
  });
});
