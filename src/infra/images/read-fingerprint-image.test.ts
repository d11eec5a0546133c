import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { readFingerprintImage } from './read-fingerprint-image.ts';
import { isConcordError } from '../../shared/errors.ts';
import { decodeWsq, encodeWsq } from '../../formats/wsq/index.ts';

const fixture = (name: string) => readFile(new URL(`../../../fixtures/fingerprints/${name}`, import.meta.url));

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(isConcordError(error, code), `expected ${code}, got ${String(error)}`).toBe(true);
  return error as { message: string; where: Record<string, unknown> };
}

const samePixels = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** A minimal 8-bit palettised BMP (bottom-up rows padded to 4 bytes). */
function bmp8(width: number, height: number, pixel: (x: number, y: number) => number, ppi = 500): Uint8Array {
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
  view.setInt32(38, Math.round(ppi / 0.0254), true); // pixels per metre
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

/** A PNG whose IHDR is rewritten to claim width×height (its pixel data stays that of a small image). */
async function pngClaiming(width: number, height: number, dpi: number): Promise<Uint8Array> {
  const png = new Uint8Array(await sharp({ create: { width: 200, height: 200, channels: 3, background: { r: 128, g: 128, b: 128 } } }).greyscale().withMetadata({ density: dpi }).png().toBuffer());
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // The IHDR chunk follows the 8-byte signature: length, "IHDR", width, height, ..., CRC over type and data.
  view.setUint32(16, width);
  view.setUint32(20, height);
  view.setUint32(29, crc32(png.subarray(12, 29)));
  return png;
}

/** A small real WSQ stream whose frame header claims width×height, with a NIST comment giving `ppi`. */
function wsqClaiming(width: number, height: number, ppi: number): Uint8Array {
  const sample = decodeWsq(new Uint8Array(readFileSync(new URL('../../../fixtures/ansi-nist/sample.wsq', import.meta.url))));
  const crop = new Uint8Array(256 * 256);
  for (let y = 0; y < 256; y++) crop.set(sample.pixels.subarray((200 + y) * sample.width + 150, (200 + y) * sample.width + 406), y * 256);
  const bytes = encodeWsq({ width: 256, height: 256, pixels: crop }, { ppi });
  const sof = bytes.findIndex((byte, i) => byte === 0xff && bytes[i + 1] === 0xa2);
  bytes.set([height >> 8, height & 0xff, width >> 8, width & 0xff], sof + 6);
  return bytes;
}

describe('refusing an oversized image from its header, before decoding it', () => {
  it('a WSQ frame beyond 2000×2000 at 500 ppi, or one a declared 250 ppi would make so', async () => {
    const big = await expectCode(readFingerprintImage(wsqClaiming(2001, 1800, 500), { source: 'finger_2' }), 'IMAGE_DIMENSIONS');
    expect(big.where).toMatchObject({ source: 'finger_2', width: 2001, height: 1800 });
    const upsampled = await expectCode(readFingerprintImage(wsqClaiming(1200, 1200, 250)), 'IMAGE_DIMENSIONS');
    expect(upsampled.message).toContain('2400×2400 at 500 ppi (1200×1200 at 250 ppi)');
    // Decoding the 1200×1200 frame the header claims fails (the data is that of 256×256, below):
    // IMAGE_DIMENSIONS rather than WSQ_TRUNCATED shows only the header was read.
    await expectCode(readFingerprintImage(wsqClaiming(1200, 1200, 500)), 'WSQ_TRUNCATED');
  });

  it('a PNG whose IHDR and pHYs make it larger than 2000×2000 at 500 ppi', async () => {
    const error = await expectCode(readFingerprintImage(await pngClaiming(8000, 8000, 250), { source: 'finger_7' }), 'IMAGE_DIMENSIONS');
    expect(error.message).toContain('16000×16000 at 500 ppi');
    await expectCode(readFingerprintImage(await pngClaiming(2100, 300, 500)), 'IMAGE_DIMENSIONS');
    // At 1000 ppi the same 2100 pixels are 1050 at 500 ppi: read on to the (damaged) pixel data.
    await expectCode(readFingerprintImage(await pngClaiming(2100, 300, 1000)), 'CORRUPT_IMAGE');
  });

  it('a BMP whose header declares more than the engine takes, even with its pixel data missing', async () => {
    const header = bmp8(200, 200, () => 0, 250).subarray(0, 2000);
    new DataView(header.buffer).setInt32(18, 8000, true);
    new DataView(header.buffer).setInt32(22, 8000, true);
    await expectCode(readFingerprintImage(header), 'IMAGE_DIMENSIONS');
    await expectCode(readFingerprintImage(bmp8(1200, 200, () => 0, 250)), 'IMAGE_DIMENSIONS');
  });
});
