import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyRing } from './key-ring.ts';

const dir = mkdtempSync(join(tmpdir(), 'concord-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const secret = new TextEncoder().encode('a fingerprint template');
const mine = 'samples.template|4100001AB|2';

describe('data keys for biometrics at rest', () => {
  it('seals so that the data is unreadable without the key, and opens what it sealed', () => {
    const ring = KeyRing.ephemeral();
    const sealed = ring.seal(secret, mine);
    expect(Buffer.from(sealed).includes(Buffer.from(secret))).toBe(false);
    expect(ring.seal(secret, mine)).not.toEqual(sealed); // a fresh IV each time
    expect(ring.open(sealed, mine)).toEqual(Buffer.from(secret));
    // Data that is not sealed is refused, never passed through.
    expect(() => ring.open(secret, mine)).toThrow(expect.objectContaining({ code: 'DATA_NOT_SEALED' }));
  });

  it('binds a sealed value to its record: copied to another subject, finger or column, it does not open', () => {
    const ring = KeyRing.ephemeral();
    const sealed = ring.seal(secret, mine);
    for (const elsewhere of ['samples.template|4100002AB|2', 'samples.template|4100001AB|3', 'samples.image|4100001AB|2']) {
      expect(() => ring.open(sealed, elsewhere)).toThrow(expect.objectContaining({ code: 'SEALED_DATA_CORRUPT' }));
    }
  });

  it('detects tampering and keys it does not hold', () => {
    const ring = KeyRing.ephemeral();
    const sealed = Buffer.from(ring.seal(secret, mine));
    sealed[sealed.length - 20] ^= 1;
    expect(() => ring.open(sealed, mine)).toThrow(expect.objectContaining({ code: 'SEALED_DATA_CORRUPT' }));
    // Another installation's key of the same name cannot open it either.
    expect(() => KeyRing.ephemeral().open(ring.seal(secret, mine), mine)).toThrow(expect.objectContaining({ code: 'SEALED_DATA_CORRUPT' }));
    const rotated = KeyRing.ephemeral();
    rotated.rotate();
    expect(() => KeyRing.ephemeral().open(rotated.seal(secret, mine), mine)).toThrow(expect.objectContaining({ code: 'KEY_UNKNOWN' }));
  });

  it('keeps its keys in a file only its owner can read, and rotates without losing old data', () => {
    const file = join(dir, 'keys.json');
    const ring = KeyRing.fromFile(file);
    expect(statSync(file).mode & 0o077).toBe(0);
    const old = ring.seal(secret, mine);
    expect(ring.needsResealing(old)).toBe(false);
    const id = ring.rotate();
    expect(JSON.parse(readFileSync(file, 'utf8')).active).toBe(id);
    expect(ring.needsResealing(old)).toBe(true);
    expect(ring.open(old, mine)).toEqual(Buffer.from(secret));
    // Another process (a restarted server) reads the same file.
    const again = KeyRing.fromFile(file);
    expect(again.open(ring.seal(secret, mine), mine)).toEqual(Buffer.from(secret));
  });

  it('still opens values sealed before bindings existed, and marks them for sealing again', () => {
    const file = join(dir, 'legacy.json');
    const key = randomBytes(32);
    writeFileSync(file, JSON.stringify({ active: 'k1', keys: { k1: key.toString('base64') } }));
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(secret), cipher.final()]);
    const legacy = Buffer.concat([Buffer.from('CSE1'), Buffer.of(2), Buffer.from('k1'), iv, body, cipher.getAuthTag()]);
    const ring = KeyRing.fromFile(file);
    expect(ring.open(legacy, mine)).toEqual(Buffer.from(secret));
    expect(ring.needsResealing(legacy)).toBe(true);
    expect(ring.needsResealing(ring.seal(secret, mine))).toBe(false);
    // Once everything has been sealed again, bound, unbound values are refused (here and in a restarted process).
    ring.requireBindings();
    expect(() => ring.open(legacy, mine)).toThrow(expect.objectContaining({ code: 'DATA_NOT_SEALED' }));
    expect(() => KeyRing.fromFile(file).open(legacy, mine)).toThrow(expect.objectContaining({ code: 'DATA_NOT_SEALED' }));
    expect(KeyRing.fromFile(file).open(ring.seal(secret, mine), mine)).toEqual(Buffer.from(secret));
  });

  it('refuses a damaged key file with a clear error', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ active: 'k9', keys: { k1: Buffer.alloc(32).toString('base64') } }));
    expect(() => KeyRing.fromFile(file)).toThrow(expect.objectContaining({ code: 'KEY_FILE_INVALID' }));
  });
});
