import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import { readFaceImage } from './read-face-image.ts';

async function refusal(bytes: Uint8Array): Promise<{ code: string; message: string }> {
  try {
    await readFaceImage(bytes);
  } catch (error) {
    if (isConcordError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return { code: 'accepted', message: '' };
}

const plain = (width: number, height: number, channels: 3 | 4 = 3, alpha = 1) =>
  sharp({ create: { width, height, channels, background: { r: 120, g: 110, b: 100, alpha } } });

/** A PNG whose header declares the given size and whose data is a few bytes: what a decompression bomb looks like before it is inflated. */
function pngDeclaring(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01])), chunk('IEND', Buffer.alloc(0))]);
}

describe('face photo input', () => {
  it('decodes a photo to RGB and gray no larger than the analysis needs, with the scale back to the photo', async () => {
    const image = await readFaceImage(await plain(2048, 1536).jpeg().toBuffer());
    expect([image.rgb.width, image.rgb.height, image.rgb.data.length]).toEqual([1024, 768, 1024 * 768 * 3]);
    expect(image.gray.pixels.length).toBe(1024 * 768);
    expect(image.scale).toBe(2);
  });

  it('refuses a non-image', async () => {
    expect((await refusal(Buffer.from('%PDF-1.7 not a photograph'))).code).toBe('NOT_AN_IMAGE');
  });

  it('refuses an image too small for a face to be measured', async () => {
    expect(await refusal(await plain(120, 150).jpeg().toBuffer())).toMatchObject({ code: 'IMAGE_DIMENSIONS', message: expect.stringContaining('120×150') });
  });

  it('refuses a decompression bomb from its header, without inflating it', async () => {
    const before = process.memoryUsage().rss;
    expect(await refusal(pngDeclaring(100_000, 100_000))).toMatchObject({ code: 'IMAGE_DIMENSIONS', message: expect.stringContaining('before decoding') });
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a CMYK JPEG', async () => {
    expect(await refusal(await plain(300, 400).toColourspace('cmyk').jpeg().toBuffer())).toMatchObject({ code: 'UNSUPPORTED_COLOUR', message: expect.stringContaining('CMYK') });
  });

  it('refuses a JPEG whose frame header says 12 or 16 bits a sample, and a 16-bit PNG', async () => {
    const jpeg = Buffer.from(await plain(300, 400).jpeg().toBuffer());
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg[sof + 4] = 16;
    expect(await refusal(jpeg)).toMatchObject({ code: 'UNSUPPORTED_COLOUR', message: expect.stringContaining('16-bit JPEG') });
    expect((await refusal(await plain(300, 400).toColourspace('rgb16').png().toBuffer())).code).toBe('UNSUPPORTED_COLOUR');
  });

  it('refuses a PNG with transparent pixels and accepts one whose alpha is all opaque', async () => {
    expect((await refusal(await plain(300, 400, 4, 0.5).png().toBuffer())).code).toBe('PHOTO_TRANSPARENT');
    expect((await refusal(await plain(300, 400, 4, 1).png().toBuffer())).code).toBe('accepted');
  });

  it('refuses a truncated JPEG as damaged', async () => {
    const jpeg = await plain(600, 800).jpeg().toBuffer();
    expect((await refusal(jpeg.subarray(0, jpeg.length / 2))).code).toBe('CORRUPT_IMAGE');
  });
});
