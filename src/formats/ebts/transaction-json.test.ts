import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTransaction } from '../ansi-nist/read-transaction.ts';
import { transactionJson } from './transaction-json.ts';

const fixture = (name: string) => readTransaction(new Uint8Array(readFileSync(new URL(`../../../fixtures/ansi-nist/${name}`, import.meta.url))));

describe('the transaction as JSON', () => {
  it('gives every record with its offset and length, summing to the file size', () => {
    const bytes = readFileSync(new URL('../../../fixtures/ansi-nist/type-14-tpcard-nqm.an2', import.meta.url));
    const records = transactionJson(readTransaction(new Uint8Array(bytes)));
    expect(records.length).toBe(16);
    const last = records.at(-1)!;
    expect(last.offset + last.length).toBe(bytes.length);
  });

  it('summarises images instead of inlining them', () => {
    const json = transactionJson(fixture('type-14-tpcard-nqm.an2'));
    const first = json[2];
    expect(first.image).toMatchObject({ type: 14, positions: [1], width: 804, height: 752, compression: 'WSQ20' });
    expect(first.fields!.at(-1)).toEqual({ tag: '14.999', name: 'DATA', binaryBytes: first.image!.dataBytes });
    expect(JSON.stringify(json).length).toBeLessThan(20_000);
  });

  it('names binary header values and tagged fields as the standard does, and splits subfields', () => {
    const slaps = transactionJson(fixture('type-4-slaps.an2'));
    expect(slaps[2].header).toMatchObject({ IDC: 1, FGP: [14, 255, 255, 255, 255, 255], HLL: 1608, VLL: 1000, GCA: 1 });
    const cnt = slaps[0].fields!.find((field) => field.tag === '1.003');
    expect(cnt).toMatchObject({ name: 'CNT', subfields: [['1', '5'], ['2', '00'], ['4', '01'], ['4', '02'], ['4', '03'], ['4', '04']] });
    expect(transactionJson(fixture('record-types/type-08.an2'))[2].header).toEqual({ IDC: 1, SIG: 0, SRT: 2, ISR: 0, HLL: 0, VLL: 0, DATA: 10 });
    expect(transactionJson(fixture('record-types/type-50.an2'))[2].defined).toBe(false);
  });
});
