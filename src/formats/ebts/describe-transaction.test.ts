import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readTransaction } from '../ansi-nist/read-transaction.ts';
import { describeTransaction } from './describe-transaction.ts';

describe('describing a transaction for people', () => {
  it('lists the slaps with mnemonics and image summaries, never the image bytes', () => {
    const lines = describeTransaction(readTransaction(new Uint8Array(readFileSync(new URL('../../../fixtures/ansi-nist/type-4-slaps.an2', import.meta.url)))));
    expect(lines).toContain('  1.004   TOT   AMN');
    expect(lines).toContain('record 3  Type-4  IDC 1  104277 bytes at offset 248');
    expect(lines).toContain('  image: position 14 plain left four fingers, impression 2, 1608×1000 px, 500 ppi, WSQ20, 104259 bytes');
    expect(lines.join('\n')).not.toMatch(/[^\n\x20-\x7e×…]/);
  });
});
