import { describe, expect, it } from 'vitest';
import { fixturePrint } from '../testing/test-system.ts';
import { checkQuality } from './finger-captures.ts';
import { startCapturePool, templatesFromImages } from './capture-pool.ts';
import { decodeTemplate } from '../biometrics/template-codec.ts';

const names = ['101_1', '102_1', '103_1', '104_1', '105_1', '106_1', '107_1', '108_1', '109_1', '110_1'];

describe('the capture pool', () => {
  it('extracts the ten prints of one request, shared out over the workers, in finger order', async () => {
    await startCapturePool();
    // Given out of order: the answer is in finger order whatever worker made each template.
    const images = names.map((name, k) => ({ field: `finger_${10 - k}`, position: 10 - k, bytes: fixturePrint(name) }));
    const fingers = await templatesFromImages(images, 'retained');
    expect(fingers.map((f) => f.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const finger of fingers) {
      expect(decodeTemplate(Buffer.from(finger.template, 'base64')).minutiae.length).toBeGreaterThan(10);
      expect(finger.image).toBeDefined();
    }
  }, 60_000);

  it('names every finger below the quality floor in one refusal', () => {
    expect(() => checkQuality([{ position: 3, quality: 5 }, { position: 4, quality: 80 }, { position: 8, quality: 12 }])).toThrow(
      expect.objectContaining({ code: 'LOW_QUALITY', message: expect.stringMatching(/finger 3 \(quality 5\), finger 8 \(quality 12\)/) }),
    );
    expect(() => checkQuality([{ position: 1, quality: 20 }])).not.toThrow();
  });
});
