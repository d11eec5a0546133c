import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import { compareFaces, faceFmrStatement } from './face-comparison.ts';
import { decodeFaceTemplate, encodeFaceTemplate, FACE_MODEL_GENERATION, FACE_TEMPLATE_BYTES, type FaceTemplate } from './face-template.ts';

const template = (seed: number, generation = FACE_MODEL_GENERATION): FaceTemplate => ({ generation, descriptor: Float32Array.from({ length: 128 }, (_, i) => Math.sin(seed * 31 + i) / 10) });

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return isConcordError(error) ? error.code : 'not a ConcordError';
  }
  return 'no error';
};

describe('face template codec', () => {
  it('keeps the descriptor and the model generation through encoding', () => {
    const bytes = encodeFaceTemplate(template(1, 7));
    expect(bytes.length).toBe(FACE_TEMPLATE_BYTES);
    const back = decodeFaceTemplate(bytes);
    expect(back.generation).toBe(7);
    expect(Array.from(back.descriptor)).toEqual(Array.from(template(1).descriptor));
  });

  it('refuses a damaged template, another format and a descriptor of the wrong length', () => {
    const bytes = encodeFaceTemplate(template(2));
    bytes[100] ^= 1;
    expect(codeOf(() => decodeFaceTemplate(bytes))).toBe('TEMPLATE_CHECKSUM');
    expect(codeOf(() => decodeFaceTemplate(new Uint8Array(FACE_TEMPLATE_BYTES)))).toBe('TEMPLATE_MALFORMED');
    expect(codeOf(() => encodeFaceTemplate({ generation: 1, descriptor: new Float32Array(3) }))).toBe('TEMPLATE_MALFORMED');
  });
});

describe('face comparison', () => {
  it('matches a template with itself and not with a distant one, stating the threshold as an FMR', () => {
    expect(compareFaces(template(3), template(3))).toMatchObject({ distance: 0, match: true });
    const far = { generation: FACE_MODEL_GENERATION, descriptor: template(3).descriptor.map((v) => v + 0.1) };
    expect(compareFaces(template(3), far).match).toBe(false);
    expect(compareFaces(template(3), far).fmr).toMatch(/^FMR \d+\/\d+ measured/);
  });

  it('refuses to compare templates of different model generations', () => {
    expect(codeOf(() => compareFaces(template(4, 1), template(4, 2)))).toBe('TEMPLATE_GENERATION');
  });

  it('states the rule-of-three bound when no impostor was accepted', () => {
    expect(faceFmrStatement({ impostorPairs: 30, impostorsAtOrBelow: 0 })).toContain('at most 10.0% at 95% confidence');
  });
});
