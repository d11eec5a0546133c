import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readFingerprintImage } from './read-fingerprint-image.ts';
import { isConcordError } from '../../shared/errors.ts';

const fixture = (name: string) => readFile(new URL(`../../../fixtures/fingerprints/${name}`, import.meta.url));

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isConcordError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
}

const samePixels = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** A minimal 8-bit palettised BMP (bottom-up rows padded to 4 bytes). */
function bmp8(width: number, height: number, pixel: (x: number, y: number) => number): Uint8Array {
  const rowBytes = Math.ceil(width / 4) * 4;
  const dataOffset = 14 + 40 + 256 * 4;
  const bytes = new Uint8Array(dataOffset + rowBytes * height);
  const view = new DataView(bytes.buffer);
  bytes.set([0x42, 0x4d]);
  view.setUint32(2, bytes.length, true);
  view.setUint32(10, dataOffset, true);
  view.setUint32(14, 40, true);
  view.setInt32(18, width, true);
  view.setInt32(22, height, true);
  view.setUint16(26, 1, true);
  view.setUint16(28, 8, true);
  view.setInt32(38, 19685, true); // 500 ppi in pixels per metre
  for (let i = 0; i < 256; i++) bytes.set([i, i, i, 0], 54 + i * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) bytes[dataOffset + (height - 1 - y) * rowBytes + x] = pixel(x, y);
  }
  return bytes;
}

describe('readFingerprintImage', () => {
  it('reads a PNG fingerprint as 8-bit gray at 500 ppi', async () => {
    const image = await readFingerprintImage(await fixture('101_1.png'));
    expect([image.width, image.height, image.ppi]).toEqual([388, 374, 500]);
    expect(image.pixels.length).toBe(388 * 374);
  });

  it('reads TIFF and BMP with the same pixels as the PNG', async () => {
    const png = await fixture('101_1.png');
    const reference = await readFingerprintImage(png);
    const tiff = await sharp(png).greyscale().tiff({ compression: 'lzw' }).toBuffer();
    expect(samePixels((await readFingerprintImage(tiff)).pixels, reference.pixels)).toBe(true);
    const bmp = bmp8(reference.width, reference.height, (x, y) => reference.pixels[y * reference.width + x]);
    const fromBmp = await readFingerprintImage(bmp);
    expect([fromBmp.width, fromBmp.height]).toEqual([388, 374]);
    expect(samePixels(fromBmp.pixels, reference.pixels)).toBe(true);
  });

  it('reads WSQ, and names the source when a WSQ file is damaged', async () => {
    const wsq = await readFile(new URL('../../../fixtures/ansi-nist/sample.wsq', import.meta.url));
    const image = await readFingerprintImage(wsq);
    expect([image.width, image.height, image.ppi]).toEqual([545, 622, 500]);
    const error = await readFingerprintImage(wsq.subarray(0, 5000), { source: 'probe.wsq' }).then(() => undefined, (e: unknown) => e);
    expect(isConcordError(error, 'WSQ_TRUNCATED') && error.where).toMatchObject({ source: 'probe.wsq', format: 'wsq' });
  });

  it('rescales an image of declared resolution to 500 ppi', async () => {
    const image = await readFingerprintImage(await fixture('101_1.png'), { ppi: 1000 });
    expect([image.width, image.height, image.ppi]).toEqual([194, 187, 500]);
  });

  it('gives a typed error for bytes that are not an image', async () => {
    await expectCode(readFingerprintImage(new TextEncoder().encode('%PDF-1.4 certainly not a fingerprint')), 'NOT_AN_IMAGE');
  });

  it('gives a typed error for a truncated PNG and a truncated BMP', async () => {
    const png = await fixture('101_1.png');
    const error = await readFingerprintImage(png.subarray(0, png.length / 2)).then(() => undefined, (e: unknown) => e);
    expect(isConcordError(error, 'CORRUPT_IMAGE') || isConcordError(error, 'NOT_AN_IMAGE')).toBe(true);
    const bmp = bmp8(200, 200, () => 128);
    await expectCode(readFingerprintImage(bmp.subarray(0, 5000)), 'CORRUPT_IMAGE');
  });

  it('refuses images smaller than 150×150 or larger than 2000×2000', async () => {
    await expectCode(readFingerprintImage(bmp8(100, 300, () => 200)), 'IMAGE_DIMENSIONS');
    const big = await sharp({ create: { width: 2100, height: 300, channels: 3, background: { r: 255, g: 255, b: 255 } } }).png().toBuffer();
    await expectCode(readFingerprintImage(big), 'IMAGE_DIMENSIONS');
  });

  it('refuses an implausible declared resolution', async () => {
    await expectCode(readFingerprintImage(await fixture('101_1.png'), { ppi: 72 }), 'BAD_RESOLUTION');
  });
});
