import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractTemplate } from '../biometrics/extraction/extract-template.ts';
import { compareTemplates } from '../biometrics/matching/compare-templates.ts';
import { prepareTemplate } from '../biometrics/matching/prepared-template.ts';
import { thrown } from '../testing/thrown.ts';
import { buildTransaction, taggedRecord } from '../formats/ansi-nist/build-records.ts';
import type { AnsiNistTransaction, FingerprintBinaryRecord } from '../formats/ansi-nist/model.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { templatesFromCaptures, type FingerCapture } from './finger-captures.ts';
import { slapCaptures } from './slap-captures.ts';
import { capturesOf } from './transaction-captures.ts';

const fixture = (name: string) => readTransaction(new Uint8Array(readFileSync(new URL(`../../fixtures/ansi-nist/${name}`, import.meta.url))));

/** The NIST left four-finger slap (WSQ, 1608×1000 at 500 ppi) moved into a Type-14 record with the given 14.021 SEG. */
function type14Slap(seg: string | undefined): AnsiNistTransaction {
  const slap = fixture('type-4-slaps.an2').records[2] as FingerprintBinaryRecord;
  return buildTransaction({ 2: '0502', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'T1', 11: '19.69', 12: '19.69' }, [
    taggedRecord(2, { 2: '00' }),
    taggedRecord(14, { 2: '01', 3: '2', 6: '1608', 7: '1000', 8: '1', 9: '500', 10: '500', 11: 'WSQ20', 12: '8', 13: '14', 21: seg, 999: slap.data }),
  ]);
}

describe('fingers cut from slaps', () => {
  it('takes all ten fingers from the NIST Type-4 slaps: eight cut by the engine, little finger of the left hand first, and the plain thumbs', () => {
    const { captures, alternatives } = capturesOf(fixture('type-4-slaps.an2'));
    expect(alternatives).toEqual([]);
    expect(captures.map((c) => c.position)).toEqual([10, 9, 8, 7, 6, 1, 2, 3, 4, 5]);
    expect(captures[4].label).toBe('record 4 (plain thumb, position 12)');
    expect(captures[0].label).toBe('record 3 (slap 14, finger 10, cut by engine segmentation)');
    for (const { image } of captures) {
      expect(image.width).toBeGreaterThan(250);
      expect(image.width).toBeLessThan(600);
      expect(image.height).toBeGreaterThan(350);
    }
  });

  it('names each slap finger right: on the NIST card it matches the rolled print of its own position best', () => {
    const { captures, alternatives } = capturesOf(fixture('type-14-tpcard-nqm.an2'));
    expect(captures.map((c) => c.position).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(alternatives.map((c) => c.position)).toEqual([10, 9, 8, 7, 6, 1, 2, 3, 4, 5]);
    const template = (image: (typeof captures)[number]['image']) => prepareTemplate(extractTemplate(image));
    const rolled = new Map([3, 4, 7, 8].map((p) => [p, template(captures.find((c) => c.position === p)!.image)]));
    for (const position of [3, 7]) {
      const cut = template(alternatives.find((c) => c.position === position)!.image);
      const scores = [...rolled].map(([p, r]) => [p, compareTemplates(cut, r)] as const).sort((a, b) => b[1] - a[1]);
      expect(scores[0][0]).toBe(position);
    }
  });

  it('cuts by 14.021 SEG when the record has it', () => {
    const seg = [[10, 0, 400, 0, 560], [9, 400, 780, 0, 520], [8, 780, 1120, 0, 480], [7, 1120, 1608, 100, 780]].map((items) => items.join('\x1f')).join('\x1e');
    const cuts = slapCaptures(type14Slap(seg));
    expect(cuts.map((c) => [c.position, c.image.width, c.image.height])).toEqual([[10, 400, 560], [9, 380, 520], [8, 340, 480], [7, 488, 680]]);
    expect(cuts[3].label).toBe('record 3 (slap 14, finger 7, cut by 14.021 SEG)');
    expect(slapCaptures(type14Slap(undefined))[0].label).toContain('engine segmentation');
  });

  it('refuses a 14.021 SEG outside the image or naming a finger the slap does not hold', () => {
    expect(() => slapCaptures(type14Slap('7\x1f0\x1f400\x1f0\x1f1200'))).toThrow(expect.objectContaining({ code: 'AN_BAD_SEGMENT' }));
    expect(() => slapCaptures(type14Slap('2\x1f0\x1f400\x1f0\x1f500'))).toThrow(expect.objectContaining({ code: 'AN_BAD_SEGMENT' }));
  });
});

/** A rolled print with no ridges at all: a smudge the extractor refuses (NO_RIDGE_AREA). */
function smudgedRolled(position: number, idc: number) {
  const [width, height] = [400, 450];
  return taggedRecord(14, { 2: String(idc).padStart(2, '0'), 3: '1', 6: String(width), 7: String(height), 8: '1', 9: '500', 10: '500', 11: 'NONE', 12: '8', 13: String(position), 999: new Uint8Array(width * height).fill(190) });
}

describe('a ten-print whose rolled prints fail quality', () => {
  const slap = (fixture('type-4-slaps.an2').records[2] as FingerprintBinaryRecord).data;
  const card = (withSlap: boolean) =>
    buildTransaction({ 2: '0502', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'T1', 11: '19.69', 12: '19.69' }, [
      taggedRecord(2, { 2: '00' }),
      ...[7, 8, 9, 10].map((position, i) => smudgedRolled(position, i + 1)),
      ...(withSlap ? [taggedRecord(14, { 2: '05', 3: '0', 6: '1608', 7: '1000', 8: '1', 9: '500', 10: '500', 11: 'WSQ20', 12: '8', 13: '14', 999: slap })] : []),
    ]);

  it('is searched with the fingers cut from its slap, and says so for each finger', () => {
    const { captures, alternatives } = capturesOf(card(true));
    let chosen: readonly FingerCapture[] = [];
    const fingers = templatesFromCaptures(captures, 'search', { alternatives, chosen: (used) => (chosen = used) });
    expect(fingers.map((f) => f.position)).toEqual([7, 8, 9, 10]);
    expect(chosen.map((c) => [c.position, c.label])).toEqual(
      [7, 8, 9, 10].map((position) => [position, `record 7 (slap 14, finger ${position}, cut by engine segmentation)`]),
    );
  });

  it('is refused, naming the smudged finger, when there is no slap to fall back on', () => {
    const { captures, alternatives } = capturesOf(card(false));
    const error = thrown(() => templatesFromCaptures(captures, 'search', { alternatives }));
    expect(error.code).toBe('NO_RIDGE_AREA');
    expect(error.message).toContain('record 3 (finger 7)');
  });
});
