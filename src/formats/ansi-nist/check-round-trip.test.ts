import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkRoundTrip, isFaithful } from './check-round-trip.ts';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url)));
const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const fromLatin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('checking that a transaction comes back byte for byte', () => {
  it('finds the NIST fixtures and every record-type sample valid and identical', () => {
    const names = ['type-4-slaps.an2', 'type-14-tpcard-nqm.an2', 'record-types/type-03.an2', 'record-types/type-08.an2', 'record-types/type-99.an2', 'record-types/type-50.an2'];
    for (const name of names) {
      const check = checkRoundTrip(fixture(name));
      expect([name, check.identical, check.problems.length, isFaithful(check)]).toEqual([name, true, 0, true]);
    }
  });

  it('gives the offset of the first difference when a false LEN is corrected on writing', () => {
    const bytes = fromLatin1(latin1(fixture('type-4-slaps.an2')).replace('1.001:191', '1.001:190'));
    const check = checkRoundTrip(bytes);
    expect(check.problems.map((p) => p.code)).toEqual(['AN_LENGTH_MISMATCH']);
    expect([check.identical, check.firstDifference, isFaithful(check)]).toEqual([false, 8, false]);
  });

  it('reports trailing bytes as a problem and where the written file ends', () => {
    const source = fixture('record-types/type-02.an2');
    const check = checkRoundTrip(Uint8Array.from([...source, 0x41, 0x42]));
    expect(check.problems.map((p) => p.code)).toEqual(['AN_TRAILING_BYTES']);
    expect(check.firstDifference).toBe(source.length);
  });

  it('lists the writer refusing what the reader could only read leniently', () => {
    const bytes = fromLatin1(latin1(fixture('record-types/type-02.an2')).replace('SAMPLE,SUBJECT', 'SAMPLÉ,SUBJECT'));
    const check = checkRoundTrip(bytes);
    expect(check.problems.map((p) => p.code)).toEqual(['AN_NON_ASCII', 'AN_WRITE_INVALID']);
    expect([check.identical, check.writtenBytes]).toEqual([false, undefined]);
  });
});
