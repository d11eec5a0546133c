import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import { codestreamOf, decodeJpeg2000, encodeJpeg2000, isJp2File, jpeg2000ToGray, readJpeg2000Header } from './index.ts';

const width = 240;
const height = 180;
/** Ridge-like stripes: detail a lossy coder must spend bits on. */
const pixels = Uint8Array.from({ length: width * height }, (_, i) => Math.round(128 + 100 * Math.sin((i % width) / 2.5 + Math.floor(i / width) / 7)));

function code(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isConcordError(error)) return error.code;
    throw error;
  }
  return 'no error';
}

describe('JPEG 2000 through OpenJPEG', () => {
  it('round-trips losslessly (JP2L): every pixel back', () => {
    const file = encodeJpeg2000({ width, height, pixels }, { lossless: true });
    expect(isJp2File(file)).toBe(true);
    expect(readJpeg2000Header(file)).toEqual({ width, height, components: 1, bitsPerSample: 8 });
    const decoded = decodeJpeg2000(file);
    expect([decoded.width, decoded.height, decoded.components]).toEqual([width, height, 1]);
    expect(Buffer.from(jpeg2000ToGray(decoded)).equals(Buffer.from(pixels))).toBe(true);
  });

  it('encodes lossily (JP2, irreversible wavelet): close to the original but not exact', () => {
    const lossy = encodeJpeg2000({ width, height, pixels }, { lossless: false });
    const back = jpeg2000ToGray(decodeJpeg2000(lossy));
    let squared = 0;
    for (let i = 0; i < pixels.length; i++) squared += (back[i] - pixels[i]) ** 2;
    const psnr = 10 * Math.log10(255 ** 2 / (squared / pixels.length));
    expect(psnr).toBeGreaterThan(35);
    expect(Buffer.from(back).equals(Buffer.from(pixels))).toBe(false);
  });

  it('decodes a raw codestream (J2K) as well as a JP2 file', () => {
    const stream = codestreamOf(encodeJpeg2000({ width, height, pixels }, { lossless: true }));
    expect([stream[0], stream[1]]).toEqual([0xff, 0x4f]);
    expect(decodeJpeg2000(stream).width).toBe(width);
  });

  it('refuses damaged, truncated and oversized images with a typed error, and still decodes after', () => {
    const file = encodeJpeg2000({ width, height, pixels }, { lossless: true });
    const stream = codestreamOf(file).slice();
    const damaged = stream.slice();
    for (let i = 120; i < damaged.length; i += 5) damaged[i] ^= 0x5a;
    expect(code(() => decodeJpeg2000(damaged))).toBe('JP2_INVALID');
    expect(code(() => decodeJpeg2000(file.subarray(0, 300)))).toBe('JP2_INVALID');
    expect(code(() => decodeJpeg2000(Uint8Array.from([1, 2, 3])))).toBe('JP2_INVALID');
    const huge = stream.slice();
    new DataView(huge.buffer).setUint32(8, 60000);
    new DataView(huge.buffer).setUint32(12, 60000);
    expect(code(() => decodeJpeg2000(huge))).toBe('JP2_TOO_LARGE');
    expect(jpeg2000ToGray(decodeJpeg2000(file))[5]).toBe(pixels[5]);
  });
});
