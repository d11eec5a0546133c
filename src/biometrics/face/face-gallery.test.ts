import { describe, expect, it } from 'vitest';
import { FACE_LEAD_NOTICE, FaceGallery } from './face-gallery.ts';
import { FACE_MODEL_GENERATION, type FaceTemplate } from './face-template.ts';

const face = (seed: number, offset = 0, generation = FACE_MODEL_GENERATION): FaceTemplate => ({ generation, descriptor: Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 7.3 + i * 1.7) * 0.1 + offset) });

describe('1:N face gallery', () => {
  it('puts the probe\'s own subject first and lists each subject once, at its nearest face', () => {
    const gallery = new FaceGallery();
    for (let s = 0; s < 3000; s++) gallery.add(`S${s}`, face(s));
    gallery.add('S42', face(42, 0.001));
    const candidates = gallery.search(face(42, 0.002), 5);
    expect(candidates[0]).toMatchObject({ subject: 'S42', withinThreshold: true });
    expect(candidates[0].distance).toBeLessThan(0.02);
    expect(new Set(candidates.map((c) => c.subject)).size).toBe(candidates.length);
    expect(candidates.length).toBe(5);
    expect(candidates.slice(1).every((c, k) => c.distance >= candidates[k].distance)).toBe(true);
  });

  it('holds and searches only templates of the current model generation', () => {
    const gallery = new FaceGallery();
    expect(() => gallery.add('S1', face(1, 0, FACE_MODEL_GENERATION + 1))).toThrow(/re-extract/);
    expect(() => gallery.search(face(1, 0, 0))).toThrow(/generation/);
  });

  it('says on every answer that a face candidate is a lead, never an identification, with the threshold\'s FMR', () => {
    expect(FACE_LEAD_NOTICE).toMatch(/never an identification/);
    expect(FACE_LEAD_NOTICE).toMatch(/FMR 0\/29 measured/);
  });
});
