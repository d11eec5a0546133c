import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checkTemplate, decodeTemplate, encodeTemplate } from './template-codec.ts';
import type { FingerprintTemplate } from './template.ts';
import { isConcordError } from '../shared/errors.ts';

const template: FingerprintTemplate = {
  width: 388,
  height: 374,
  quality: 73,
  minutiae: [
    { x: 10, y: 20, angle: 0, type: 'ending', quality: 90 },
    { x: 387, y: 373, angle: Math.PI * 1.999, type: 'bifurcation', quality: 12 },
    { x: 150, y: 77, angle: 2.5, type: 'other', quality: 50 },
  ],
};

describe('Concord template codec', () => {
  it('round-trips positions exactly and angles within 0.01 degree', () => {
    const decoded = decodeTemplate(encodeTemplate(template));
    expect(decoded.width).toBe(388);
    expect(decoded.height).toBe(374);
    expect(decoded.quality).toBe(73);
    expect(decoded.minutiae).toHaveLength(3);
    decoded.minutiae.forEach((m, i) => {
      const original = template.minutiae[i];
      expect([m.x, m.y, m.type, m.quality]).toEqual([original.x, original.y, original.type, original.quality]);
      const diff = Math.abs(Math.atan2(Math.sin(m.angle - original.angle), Math.cos(m.angle - original.angle)));
      expect(diff).toBeLessThan((0.01 * Math.PI) / 180);
    });
  });

  it('is compact: 8 bytes per minutia, 16 bytes of framing, one byte per orientation block', () => {
    expect(encodeTemplate(template).length).toBe(16 + 3 * 8);
    const withMap = { ...template, orientation: { blockSize: 16, columns: 3, rows: 2, angles: Uint8Array.of(0, 45, 179, 255, 90, 255) } };
    expect(encodeTemplate(withMap).length).toBe(15 + 3 * 8 + 5 + 6);
  });

  it('round-trips the orientation map exactly, and reads version 1 templates, which have none', () => {
    const orientation = { blockSize: 16, columns: 3, rows: 2, angles: Uint8Array.of(0, 45, 179, 255, 90, 255) };
    expect(decodeTemplate(encodeTemplate({ ...template, orientation })).orientation).toEqual(orientation);
    expect(decodeTemplate(encodeTemplate(template)).orientation).toBeUndefined();
    // Version 1: the same bytes without the map section, checksummed anew.
    const v2 = encodeTemplate(template);
    const v1 = new Uint8Array(v2.length - 1);
    v1.set(v2.subarray(0, v2.length - 5));
    v1[3] = 1;
    new DataView(v1.buffer).setUint32(v1.length - 4, crc32(v1.subarray(0, v1.length - 4)));
    expect(decodeTemplate(v1).minutiae).toHaveLength(3);
  });

  it('detects damage by checksum, truncation and a foreign format', () => {
    const bytes = encodeTemplate(template);
    const damaged = bytes.slice();
    damaged[13] ^= 0x40;
    // checkTemplate, which a gallery uses instead of decoding, refuses each the same way.
    const expectCode = (input: Uint8Array, code: string) => {
      for (const read of [decodeTemplate, checkTemplate]) {
        try {
          read(input);
          expect.unreachable('decoding should fail');
        } catch (error) {
          expect(isConcordError(error, code)).toBe(true);
        }
      }
    };
    expectCode(damaged, 'TEMPLATE_CHECKSUM');
    expectCode(bytes.subarray(0, bytes.length - 3), 'TEMPLATE_TRUNCATED');
    expectCode(new TextEncoder().encode('FMR\0 20\0 and more bytes'), 'TEMPLATE_BAD_MAGIC');
    const future = bytes.slice();
    future[3] = 9;
    expectCode(future, 'TEMPLATE_VERSION');
    const badAngle = encodeTemplate({ ...template, orientation: { blockSize: 16, columns: 1, rows: 1, angles: Uint8Array.of(200) } });
    expectCode(badAngle, 'TEMPLATE_BAD_ORIENTATION');
    const badType = encodeTemplate(template);
    badType[11 + 6] = 7;
    new DataView(badType.buffer).setUint32(badType.length - 4, crc32(badType.subarray(0, badType.length - 4)));
    expectCode(badType, 'TEMPLATE_BAD_MINUTIA');
    // A map that does not fit the format is refused when writing, not written damaged.
    const expectRefused = (orientation: { blockSize: number; columns: number; rows: number; angles: Uint8Array }) =>
      expect(() => encodeTemplate({ ...template, orientation })).toThrow(/orientation map/);
    expectRefused({ blockSize: 0, columns: 1, rows: 1, angles: Uint8Array.of(0) });
    expectRefused({ blockSize: 300, columns: 1, rows: 1, angles: Uint8Array.of(0) });
    expectRefused({ blockSize: 16, columns: 2, rows: 2, angles: Uint8Array.of(0) });
  });
});
