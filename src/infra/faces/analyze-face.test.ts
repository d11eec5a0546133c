import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { failedChecks, type CaptureCheck } from '../../biometrics/face/capture-checks.ts';
import { compareFaces } from '../../biometrics/face/face-comparison.ts';
import { FACE_MODEL_GENERATION } from '../../biometrics/face/face-template.ts';
import { analyzeFace } from './analyze-face.ts';
import { samplePhoto, samplePortrait } from './sample-faces.ts';

const failedNames = (analysis: { checks: readonly CaptureCheck[] }) => failedChecks(analysis.checks).map((c) => c.check);

describe('face analysis of real photographs (the samples face-api ships)', () => {
  it('passes a frontal portrait on every check and makes a template of the current model generation', async () => {
    const analysis = await analyzeFace(await samplePortrait('s6f2'));
    expect(failedNames(analysis)).toEqual([]);
    expect(analysis.faces).toBe(1);
    expect(analysis.template?.generation).toBe(FACE_MODEL_GENERATION);
    expect(analysis.template?.descriptor.length).toBe(128);
  });

  it('counts the faces of a group photo and makes no template', async () => {
    const analysis = await analyzeFace(await samplePhoto(1));
    expect(analysis.faces).toBe(3);
    expect(failedNames(analysis)).toEqual(['one_face']);
    expect(analysis.template).toBeUndefined();
  });

  it('fails a blurred portrait on sharpness and a tilted one on roll', async () => {
    expect(failedNames(await analyzeFace(await samplePortrait('s6f2', { blur: 2.5 })))).toContain('sharpness');
    const tilted = await sharp(await samplePortrait('s6f2')).rotate(25, { background: '#808080' }).jpeg().toBuffer();
    const analysis = await analyzeFace(tilted);
    expect(failedNames(analysis)).toContain('roll');
    expect(analysis.checks.find((c) => c.check === 'roll')?.value).toBeGreaterThan(18);
  });

  it('matches a face with a second capture of it, and not with another person of the same photo', async () => {
    const [first, second, other] = await Promise.all([
      samplePortrait('s6f2'),
      samplePortrait('s6f2', { shift: 0.08, width: 320, brightness: 1.15, quality: 70 }),
      samplePortrait('s6f1'),
    ]).then((photos) => Promise.all(photos.map((p) => analyzeFace(p))));
    expect(compareFaces(first.template!, second.template!).match).toBe(true);
    expect(compareFaces(first.template!, other.template!).match).toBe(false);
  });
});
