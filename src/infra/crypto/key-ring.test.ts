import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyRing } from './key-ring.ts';

const dir = mkdtempSync(join(tmpdir(), 'concord-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secret = new TextEncoder().encode('a fingerprint template');

describe('data keys for biometrics at rest', () => {
  it('seals so that the data is unreadable without the key, and opens what it sealed', () => {
    const ring = KeyRing.ephemeral();
    const sealed = ring.seal(secret);
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false);
    expect(ring.seal(secret)).not.toEqual(sealed); // a fresh IV each time
    expect(ring.open(sealed)).toEqual(Buffer.from(secret));
    expect(ring.open(secret)).toEqual(secret); // data from before encryption passes through
  });

  it('detects tampering and keys it does not hold', () => {
    const ring = KeyRing.ephemeral();
    const sealed = Buffer.from(ring.seal(secret));
    sealed[sealed.length - 20] ^= 1;
    expect(() => ring.open(sealed)).toThrow(expect.objectContaining({ code: 'SEALED_DATA_CORRUPT' }));
    // Another installation's key of the same name cannot open it either.
    expect(() => KeyRing.ephemeral().open(ring.seal(secret))).toThrow(expect.objectContaining({ code: 'SEALED_DATA_CORRUPT' }));
    const rotated = KeyRing.ephemeral();
    rotated.rotate();
    expect(() => KeyRing.ephemeral().open(rotated.seal(secret))).toThrow(expect.objectContaining({ code: 'KEY_UNKNOWN' }));
  });

  it('keeps its keys in a file only its owner can read, and rotates without losing old data', () => {
    const file = join(dir, 'keys.json');
    const ring = KeyRing.fromFile(file);
    expect(statSync(file).mode & 0o077).toBe(0);
    const old = ring.seal(secret);
    expect(ring.needsResealing(old)).toBe(false);
    const id = ring.rotate();
    expect(JSON.parse(readFileSync(file, 'utf8')).active).toBe(id);
    expect(ring.needsResealing(old)).toBe(true);
    expect(ring.open(old)).toEqual(Buffer.from(secret));
    // Another process (a restarted server) reads the same file.
    const again = KeyRing.fromFile(file);
    expect(again.open(ring.seal(secret))).toEqual(Buffer.from(secret));
  });

  it('refuses a damaged key file with a clear error', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ active: 'k9', keys: { k1: Buffer.alloc(32).toString('base64') } }));
    expect(() => KeyRing.fromFile(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
  });
});
