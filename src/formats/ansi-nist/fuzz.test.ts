import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import { buildTransaction, taggedRecord } from './build-records.ts';
import { readTransaction } from './read-transaction.ts';
import { recordTypeSample, SAMPLE_RECORD_TYPES } from './record-type-samples.ts';
import { writeTransaction } from './write-transaction.ts';

const slaps = new Uint8Array(readFileSync(new URL('../../../fixtures/ansi-nist/type-4-slaps.an2', import.meta.url)));
const SEPARATORS = [0x1c, 0x1d, 0x1e, 0x1f, 0x3a, 0x2e];

const small = writeTransaction(
  buildTransaction({ 2: '0502', 4: 'RPIS', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'TCN', 11: '19.69', 12: '19.69' }, [
    taggedRecord(2, { 2: '00', 18: 'DOE,JANE' }),
    { kind: 'fingerprint-binary', type: 4, idc: 1, imp: 0, fgp: [2, 255, 255, 255, 255, 255], isr: 0, width: 3, height: 2, gca: 0, data: new Uint8Array(6).fill(9) },
    taggedRecord(14, { 2: '02', 6: '2', 7: '2', 11: 'NONE', 13: '7', 999: new Uint8Array([1, 0x1c, 3, 4]) }),
  ]),
);

/** Reading must end in a transaction or a ConcordError — never another exception. */
function readsOrRefuses(bytes: Uint8Array): void {
  for (const lenient of [false, true]) {
    try {
      const result = lenient ? readTransaction(bytes, { lenient: true }).transaction : readTransaction(bytes);
      // Whatever was read must also write (or be refused with a ConcordError); what was read
      // strictly must write back to the very same bytes.
      const written = writeTransaction(result);
      if (!lenient) expect(Buffer.from(written).equals(Buffer.from(bytes))).toBe(true);
    } catch (error) {
      if (!isConcordError(error)) throw error;
    }
  }
}

/** Mutations that hit the places parsers trip on: lengths, separators, digits, truncation. */
const mutation = (length: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('byte' as const), at: fc.nat(length - 1), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('separator' as const), at: fc.nat(length - 1), value: fc.constantFrom(...SEPARATORS) }),
    fc.record({ kind: fc.constant('digit' as const), at: fc.nat(length - 1), value: fc.integer({ min: 0x30, max: 0x39 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(length - 1), value: fc.constant(0) }),
  );

function mutate(source: Uint8Array, changes: { kind: string; at: number; value: number }[]): Uint8Array {
  let bytes = source.slice();
  for (const change of changes) {
    if (change.kind === 'truncate') bytes = bytes.subarray(0, Math.min(change.at, bytes.length));
    else if (change.at < bytes.length) bytes[change.at] = change.value;
  }
  return bytes;
}

describe('fuzzing the reader', () => {
  it('random bytes give a transaction or a ConcordError', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), readsOrRefuses), { seed: 2011, numRuns: 400 });
  });

  it('mutated lengths, separators, digits and truncations of a small transaction give a ConcordError only', () => {
    fc.assert(fc.property(fc.array(mutation(small.length), { minLength: 1, maxLength: 4 }), (changes) => readsOrRefuses(mutate(small, changes))), { seed: 2015, numRuns: 600 });
  });

  it('mutated Type-1 and Type-4 headers of the NIST slaps give a ConcordError only', () => {
    const headerBytes = 191 + 57 + 18; // Type-1, Type-2 and the first Type-4 header
    fc.assert(fc.property(fc.array(mutation(headerBytes), { minLength: 1, maxLength: 3 }), (changes) => readsOrRefuses(mutate(slaps, changes))), { seed: 400, numRuns: 150 });
  });

  it.each(SAMPLE_RECORD_TYPES)('mutated samples of a Type-%i record give a transaction or a ConcordError only', (type) => {
    const sample = writeTransaction(recordTypeSample(type));
    fc.assert(fc.property(fc.array(mutation(sample.length), { minLength: 1, maxLength: 3 }), (changes) => readsOrRefuses(mutate(sample, changes))), { seed: 1000 + type, numRuns: 150 });
  });

  it('mutated text of a UTF-8 transaction (1.015 DCS 003) gives a transaction or a ConcordError only', () => {
    const utf8 = writeTransaction(buildTransaction({ 2: '0600', 4: 'CAR', 5: '20260101', 7: 'DAI', 8: 'ORI', 9: 'TCN', 15: ['003', 'UTF-8'] }, [taggedRecord(2, { 2: '00', 18: 'MÜLLER,JOSÉ Ж', 20: 'ΑΘΗΝΑ' })]));
    fc.assert(fc.property(fc.array(mutation(utf8.length), { minLength: 1, maxLength: 3 }), (changes) => readsOrRefuses(mutate(utf8, changes))), { seed: 8, numRuns: 300 });
  });

  it('a declared length of 4 GB is refused without allocating it', () => {
    const bytes = small.slice();
    const type4At = bytes.indexOf(0x1c, bytes.indexOf(0x1c) + 1) + 1;
    new DataView(bytes.buffer).setUint32(type4At, 0xffffffff);
    expect(() => readTransaction(bytes)).toThrow(expect.objectContaining({ code: 'AN_LENGTH_EXCEEDS_DATA' }));
  });
});
