import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConcordError } from '../../shared/errors.ts';
import { decodeMinutiaeRecord, encodeMinutiaeRecord, recordToTemplate, templateToRecord } from './minutiae-record.ts';

const dir = new URL('../../../fixtures/fingerprints/', import.meta.url);
const isoFiles = readdirSync(dir).filter((f) => f.endsWith('.iso'));
const read = (name: string) => new Uint8Array(readFileSync(new URL(name, dir)));

describe('ISO/IEC 19794-2 and ANSI INCITS 378 minutiae records', () => {
  it('reads every third-party ISO record of the fixtures', () => {
    expect(isoFiles.length).toBeGreaterThanOrEqual(5);
    for (const name of isoFiles) {
      const record = decodeMinutiaeRecord(read(name));
      expect(record.standard).toBe('iso19794-2');
      expect(record.views).toHaveLength(1);
      expect(record.xResolution).toBe(197);
      expect(record.views[0].minutiae.length).toBeGreaterThan(5);
      for (const m of record.views[0].minutiae) {
        expect(m.x).toBeLessThan(record.width + 100);
        expect(['ending', 'bifurcation', 'other']).toContain(m.type);
      }
    }
  });

  it('writes back the same bytes it read', () => {
    for (const name of isoFiles) {
      const bytes = read(name);
      expect(Buffer.compare(encodeMinutiaeRecord(decodeMinutiaeRecord(bytes)), bytes)).toBe(0);
    }
  });

  it('converts ISO to ANSI 378 and back with positions exact and angles within one ANSI unit (2°)', () => {
    for (const name of isoFiles) {
      const iso = decodeMinutiaeRecord(read(name));
      const ansiBytes = encodeMinutiaeRecord({ ...iso, standard: 'ansi378' });
      const ansi = decodeMinutiaeRecord(ansiBytes);
      expect(ansi.standard).toBe('ansi378');
      const back = decodeMinutiaeRecord(encodeMinutiaeRecord({ ...ansi, standard: 'iso19794-2' }));
      back.views[0].minutiae.forEach((m, k) => {
        const original = iso.views[0].minutiae[k];
        expect([m.x, m.y, m.type]).toEqual([original.x, original.y, original.type]);
        const diff = Math.abs(Math.atan2(Math.sin(m.angle - original.angle), Math.cos(m.angle - original.angle)));
        expect(diff).toBeLessThanOrEqual((2 * Math.PI) / 180 + 1e-9);
      });
    }
  });

  it('turns a template into a record and back within format precision', () => {
    const template = recordToTemplate(decodeMinutiaeRecord(read(isoFiles[0])));
    for (const standard of ['iso19794-2', 'ansi378'] as const) {
      const again = recordToTemplate(decodeMinutiaeRecord(encodeMinutiaeRecord(templateToRecord(template, { standard, position: 2 }))));
      expect(again.minutiae.map((m) => [m.x, m.y])).toEqual(template.minutiae.map((m) => [m.x, m.y]));
    }
  });

  it('names what is wrong in a damaged record', () => {
    const bytes = read(isoFiles[0]);
    const codeOf = (input: Uint8Array) => {
      try {
        decodeMinutiaeRecord(input, 'iso19794-2');
        return 'none';
      } catch (error) {
        return error instanceof ConcordError ? error.code : 'crash';
      }
    };
    expect(codeOf(bytes.subarray(0, 30))).toBe('TEMPLATE_LENGTH');
    const wrongMagic = bytes.slice();
    wrongMagic[0] = 0x47;
    expect(codeOf(wrongMagic)).toBe('TEMPLATE_BAD_MAGIC');
    const tooMany = bytes.slice();
    tooMany[27] = 250; // minutiae count far beyond the record
    expect(codeOf(tooMany)).toBe('TEMPLATE_TRUNCATED');
  });

  it('never fails other than with a ConcordError on random and mutated input', () => {
    const seed = read(isoFiles[0]);
    const decodeOrTypedError = (input: Uint8Array) => {
      try {
        decodeMinutiaeRecord(input);
      } catch (error) {
        if (!(error instanceof ConcordError)) throw error;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), decodeOrTypedError), { seed: 19794, numRuns: 2000 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(seed.length), (edits, cut) => {
        const mutated = seed.slice(0, Math.max(8, cut));
        for (const [at, value] of edits) if (at < mutated.length) mutated[at] = value;
        decodeOrTypedError(mutated);
      }),
      { seed: 2005, numRuns: 2000 },
    );
  });
});
