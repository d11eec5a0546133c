import { describe, expect, it } from 'vitest';
import { extractTemplate, extractWithStages } from './extract-template.ts';
import { fixtureImage, sinusoidImage } from '../testing/fixtures.ts';
import { isConcordError } from '../../shared/errors.ts';
import type { GrayImage } from '../gray-image.ts';
import { NO_RIDGES } from '../template.ts';

function expectNoRidgeArea(image: GrayImage): void {
  try {
    extractTemplate(image);
    expect.unreachable('extraction should refuse the image');
  } catch (error) {
    expect(isConcordError(error, 'NO_RIDGE_AREA'), String(error)).toBe(true);
  }
}

describe('extractTemplate', () => {
  it('finds a plausible set of minutiae on a real print, all inside the image and the print', async () => {
    const image = await fixtureImage('101_1.png');
    const { template, stages } = extractWithStages(image);
    expect(template.minutiae.length).toBeGreaterThanOrEqual(15);
    expect(template.minutiae.length).toBeLessThanOrEqual(80);
    expect(template.quality).toBeGreaterThanOrEqual(40);
    const { grid, blocks } = stages.mask;
    for (const m of template.minutiae) {
      expect(m.x).toBeGreaterThanOrEqual(0);
      expect(m.y).toBeGreaterThanOrEqual(0);
      expect(m.x).toBeLessThan(image.width);
      expect(m.y).toBeLessThan(image.height);
      expect(blocks[Math.floor(m.y / grid.size) * grid.columns + Math.floor(m.x / grid.size)]).toBe(1);
      expect(m.angle).toBeGreaterThanOrEqual(0);
      expect(m.angle).toBeLessThan(2 * Math.PI);
    }
    expect(new Set(template.minutiae.map((m) => m.type))).toEqual(new Set(['ending', 'bifurcation']));
  });

  it('keeps the orientation map of the print: 16-pixel blocks over the image, ridge angles where the print is', async () => {
    const image = await fixtureImage('101_1.png');
    const { orientation } = extractTemplate(image);
    expect(orientation).toMatchObject({ blockSize: 16, columns: Math.ceil(image.width / 16), rows: Math.ceil(image.height / 16) });
    const angles = [...orientation!.angles];
    const print = angles.filter((angle) => angle !== NO_RIDGES);
    expect(print.length).toBeGreaterThan(angles.length / 4);
    expect(print.every((angle) => angle < 180)).toBe(true);
    expect(angles.slice(0, 2)).toEqual([NO_RIDGES, NO_RIDGES]); // the corner is background
  });

  it('refuses blank, uniform and random-noise images with NO_RIDGE_AREA', () => {
    expectNoRidgeArea({ width: 300, height: 300, pixels: new Uint8Array(300 * 300).fill(255), ppi: 500 });
    expectNoRidgeArea({ width: 300, height: 300, pixels: new Uint8Array(300 * 300).fill(90), ppi: 500 });
    let state = 42;
    const noise = new Uint8Array(300 * 300).map(() => ((state = (state * 1103515245 + 12345) & 0x7fffffff) >> 23) & 0xff);
    expectNoRidgeArea({ width: 300, height: 300, pixels: noise, ppi: 500 });
  });

  it('refuses an image that is not at 500 ppi', () => {
    const image = { ...sinusoidImage(200, 200, 0.5, 9), ppi: 1000 };
    expect(() => extractTemplate(image)).toThrowError(/500 ppi/);
  });

  it('measures the orientation and period of parallel ridges', () => {
    for (const angle of [0.3, 1.2, 2.5]) {
      const { stages, template } = extractWithStages(sinusoidImage(256, 256, angle, 10));
      const { orientation, ridgePeriod, mask } = stages;
      // The template's map keeps the same angle, in degrees.
      const kept = Math.abs(template.orientation!.angles[8 * 16 + 8] - (angle * 180) / Math.PI) % 180;
      expect(Math.min(kept, 180 - kept)).toBeLessThan(4);
      const centre = Math.floor(orientation.grid.rows / 2) * orientation.grid.columns + Math.floor(orientation.grid.columns / 2);
      expect(mask.blocks[centre]).toBe(1);
      const error = Math.abs(orientation.angle[centre] - angle) % Math.PI;
      expect(Math.min(error, Math.PI - error)).toBeLessThan((4 * Math.PI) / 180);
      expect(ridgePeriod[centre]).toBeGreaterThan(9);
      expect(ridgePeriod[centre]).toBeLessThan(11);
    }
  });

  it('finds a ridge ending and a bifurcation planted in parallel ridges', () => {
    // Horizontal ridges (period 10) where one extra ridge starts at x = 128 between two others:
    // its left end is a ridge ending, and the phase shift creates a fork further along.
    const period = 10;
    const image = sinusoidImage(256, 256, 0, period, (x, y) => {
      const shift = x > 128 && Math.abs(y - 128) < 40 ? 0.5 * Math.min(1, (x - 128) / 30) * Math.max(0, 1 - Math.abs(y - 128) / 40) : 0;
      return y / period + shift * (y > 128 ? 1 : -1);
    });
    const template = extractTemplate(image);
    expect(template.minutiae.length).toBeGreaterThanOrEqual(1);
    const near = template.minutiae.filter((m) => Math.hypot(m.x - 140, m.y - 128) < 30);
    expect(near.length).toBeGreaterThanOrEqual(1);
  });

  it('makes the same template of a print whatever the thread extracted before, and leaves earlier stages alone', async () => {
    const print = await fixtureImage('101_1.png');
    const first = extractWithStages(print);
    const enhanced = first.stages.enhanced.slice();
    // Working arrays are kept between extractions: a larger and a smaller image leave other sizes and values in them.
    extractTemplate(sinusoidImage(512, 480, 0.7, 9));
    extractTemplate(sinusoidImage(256, 240, 2.1, 11));
    expect(extractTemplate(print)).toEqual(first.template);
    expect(first.stages.enhanced).toEqual(enhanced);
  });

  it('thins ridges to a one-pixel-wide skeleton', async () => {
    const { stages } = extractWithStages(await fixtureImage('101_1.png'));
    const { skeleton } = stages;
    const width = 388;
    let blocks = 0;
    for (let i = width + 1; i < skeleton.length - width - 1; i++) {
      if (skeleton[i] && skeleton[i + 1] && skeleton[i + width] && skeleton[i + width + 1]) blocks++;
    }
    expect(blocks).toBe(0); // no 2×2 block of skeleton pixels anywhere
  });
});
