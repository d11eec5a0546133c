import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ConcordError, isConcordError } from '../../shared/errors.ts';
import { decodeWsq, encodeWsq, isWsq, readWsqHeader, type WsqImage } from './index.ts';

const fixture = (path: string) => new URL(`../../../fixtures/${path}`, import.meta.url);
const nistSample = new Uint8Array(readFileSync(fixture('ansi-nist/sample.wsq')));

async function grayPixels(path: URL): Promise<WsqImage> {
  const { data, info } = await sharp(path.pathname).greyscale().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: new Uint8Array(data) };
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let squares = 0;
  for (let i = 0; i < a.length; i++) squares += (a[i] - b[i]) ** 2;
  return 10 * Math.log10((255 * 255) / (squares / a.length));
}

function expectWsqError(action: () => unknown, code: string): ConcordError {
  try {
    action();
  } catch (error) {
    expect(isConcordError(error) && error.code).toBe(code);
    return error as ConcordError;
  }
  throw new Error(`expected ${code}`);
}

describe('decoding WSQ written by the NIST reference encoder', () => {
  it('reproduces the reference decoder within one grey level', async () => {
    const decoded = decodeWsq(nistSample);
    const reference = await grayPixels(fixture('ansi-nist/sample.png'));
    expect([decoded.width, decoded.height, decoded.ppi]).toEqual([reference.width, reference.height, 500]);
    let worst = 0;
    let differing = 0;
    for (let i = 0; i < reference.pixels.length; i++) {
      const difference = Math.abs(reference.pixels[i] - decoded.pixels[i]);
      worst = Math.max(worst, difference);
      if (difference > 0) differing++;
    }
    expect(worst).toBeLessThanOrEqual(1);
    expect(differing).toBeLessThan(reference.pixels.length / 1000);
  });
});

describe('encoding WSQ', () => {
  it('compresses a lossless 500 ppi print near 0.75 bpp with a PSNR above 30 dB, deterministically', async () => {
    const original = await grayPixels(fixture('fingerprints/101_1.png'));
    const encoded = encodeWsq(original, { ppi: 500 });
    expect(isWsq(encoded)).toBe(true);
    expect(encoded).toEqual(encodeWsq(original, { ppi: 500 }));
    const bitsPerPixel = (encoded.length * 8) / (original.width * original.height);
    expect(bitsPerPixel).toBeGreaterThan(0.3);
    expect(bitsPerPixel).toBeLessThan(0.9);
    const decoded = decodeWsq(encoded);
    expect([decoded.width, decoded.height, decoded.ppi]).toEqual([original.width, original.height, 500]);
    expect(psnr(original.pixels, decoded.pixels)).toBeGreaterThan(30);
  });

  it('spends bits where asked: a higher bit rate gives a larger file and a better image', async () => {
    const original = await grayPixels(fixture('fingerprints/102_1.png'));
    const low = encodeWsq(original, { bitrate: 0.4 });
    const high = encodeWsq(original, { bitrate: 2.25 });
    expect(high.length).toBeGreaterThan(low.length * 2);
    expect(psnr(original.pixels, decodeWsq(high).pixels)).toBeGreaterThan(psnr(original.pixels, decodeWsq(low).pixels) + 5);
  });

  it('re-encodes the NIST sample to about the size the reference encoder gave it', () => {
    const decoded = decodeWsq(nistSample);
    const encoded = encodeWsq(decoded, { ppi: 500 });
    expect(Math.abs(encoded.length - nistSample.length) / nistSample.length).toBeLessThan(0.05);
    expect(psnr(decoded.pixels, decodeWsq(encoded).pixels)).toBeGreaterThan(40);
  });

  it('refuses images it cannot encode and bit rates that mean nothing', () => {
    expectWsqError(() => encodeWsq({ width: 16, height: 400, pixels: new Uint8Array(16 * 400) }), 'WSQ_DIMENSIONS');
    expectWsqError(() => encodeWsq({ width: 64, height: 64, pixels: new Uint8Array(64 * 64) }, { bitrate: 0 }), 'BAD_ARGUMENT');
  });
});

/** A small real WSQ stream to mutate: the centre of the NIST sample, re-encoded. */
function smallWsq(): Uint8Array {
  const { width, pixels } = decodeWsq(nistSample);
  const side = 96;
  const crop = new Uint8Array(side * side);
  for (let y = 0; y < side; y++) crop.set(pixels.subarray((250 + y) * width + 200, (250 + y) * width + 200 + side), y * side);
  return encodeWsq({ width: side, height: side, pixels: crop }, { ppi: 500 });
}

/** Decoding must give an image of the declared size or a WSQ ConcordError — nothing else. */
function decodesOrRefuses(bytes: Uint8Array): void {
  try {
    const image = decodeWsq(bytes);
    expect(image.pixels.length).toBe(image.width * image.height);
  } catch (error) {
    if (!isConcordError(error) || !error.code.startsWith('WSQ_')) throw error;
  }
}

describe('bad WSQ input', () => {
  const valid = smallWsq();

  it('names what is wrong and where', () => {
    expect(expectWsqError(() => decodeWsq(new TextEncoder().encode('not a wsq file')), 'WSQ_BAD_MARKER').where).toMatchObject({ offset: 0 });
    expectWsqError(() => decodeWsq(valid.subarray(0, valid.length - 40)), 'WSQ_TRUNCATED');
    expectWsqError(() => decodeWsq(valid.subarray(0, 1)), 'WSQ_TRUNCATED');
  });

  it('does not believe a tiny file that declares a huge frame', () => {
    const forged = valid.slice();
    const sof = forged.findIndex((byte, i) => byte === 0xff && forged[i + 1] === 0xa2);
    forged.set([0x4e, 0x20, 0x4e, 0x20], sof + 6); // height and width 20 000
    const started = performance.now();
    expectWsqError(() => decodeWsq(forged), 'WSQ_DIMENSIONS');
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('random bytes behind a valid start give a WSQ error', () => {
    const property = fc.property(fc.uint8Array({ maxLength: 600 }), (tail) => decodesOrRefuses(Uint8Array.from([0xff, 0xa0, ...tail])));
    fc.assert(property, { seed: 3101, numRuns: 300 });
  });

  it('mutated tables, headers and entropy-coded data give an image or a WSQ error, never a crash or a hang', () => {
    const change = fc.record({ at: fc.nat(valid.length - 1), value: fc.integer({ min: 0, max: 255 }), truncate: fc.boolean() });
    const property = fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
      let bytes = valid.slice();
      for (const { at, value, truncate } of changes) {
        if (truncate) bytes = bytes.subarray(0, Math.min(at, bytes.length));
        else if (at < bytes.length) bytes[at] = value;
      }
      decodesOrRefuses(bytes);
    });
    fc.assert(property, { seed: 3102, numRuns: 500 });
  });
});

/** A marker segment: FF, the marker, a length counting itself, the payload. */
function segment(marker: number, payload: Uint8Array): Uint8Array {
  return Uint8Array.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]);
}

/** A stream whose frame header claims width×height, the rest of the real stream `valid` unchanged. */
function withFrame(valid: Uint8Array, width: number, height: number): Uint8Array {
  const forged = valid.slice();
  const sof = forged.findIndex((byte, i) => byte === 0xff && forged[i + 1] === 0xa2);
  forged.set([height >> 8, height & 0xff, width >> 8, width & 0xff], sof + 6);
  return forged;
}

describe('reading a WSQ header without decoding', () => {
  const valid = smallWsq();

  it('gives the size and resolution the decoder finds, on the NIST sample and on our own streams', () => {
    const sample = decodeWsq(nistSample);
    expect(readWsqHeader(nistSample)).toEqual({ width: sample.width, height: sample.height, ppi: sample.ppi });
    expect(readWsqHeader(valid)).toEqual({ width: 96, height: 96, ppi: 500 });
    const unscaled = encodeWsq({ width: 64, height: 48, pixels: decodeWsq(valid).pixels.subarray(0, 64 * 48) });
    expect(readWsqHeader(unscaled)).toEqual({ width: 64, height: 48 });
  });

  it('finds a resolution comment placed after the image data, as the decoder does', () => {
    const comment = segment(0xa8, new TextEncoder().encode('NIST_COM 2\nPPI 250\n'));
    const unscaled = encodeWsq({ width: 64, height: 64, pixels: decodeWsq(valid).pixels.subarray(0, 64 * 64) });
    const late = Uint8Array.from([...unscaled.subarray(0, unscaled.length - 2), ...comment, 0xff, 0xa1]);
    expect(decodeWsq(late).ppi).toBe(250);
    expect(readWsqHeader(late)).toEqual({ width: 64, height: 64, ppi: 250 });
  });

  it('reads a forged 20 000 × 20 000 frame (padded to pass the bytes-per-pixel rule) at once, without decoding it', () => {
    // The size the security review used: 400 KB of comments in front of a small real stream.
    const padding = segment(0xa8, new Uint8Array(0xfff0).fill(0x20));
    const forged = withFrame(valid, 20_000, 20_000);
    const bytes = Uint8Array.from([0xff, 0xa0, ...Array.from({ length: 7 }, () => [...padding]).flat(), ...forged.subarray(2)]);
    expect(bytes.length).toBeGreaterThan(20_000 * 20_000 / 1000);
    const started = performance.now();
    expect(readWsqHeader(bytes)).toEqual({ width: 20_000, height: 20_000, ppi: 500 });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses what the decoder refuses: no SOI, a frame no file of this size can hold, a truncated header', () => {
    expectWsqError(() => readWsqHeader(new TextEncoder().encode('not a wsq file')), 'WSQ_BAD_MARKER');
    expectWsqError(() => readWsqHeader(withFrame(valid, 20_000, 20_000)), 'WSQ_DIMENSIONS');
    expectWsqError(() => readWsqHeader(withFrame(valid, 0, 96)), 'WSQ_DIMENSIONS');
    const sof = valid.findIndex((byte, i) => byte === 0xff && valid[i + 1] === 0xa2);
    expectWsqError(() => readWsqHeader(valid.subarray(0, sof + 5)), 'WSQ_TRUNCATED');
  });

  it('gives a WSQ error or the decoder\'s own answer for mutated streams', () => {
    const change = fc.record({ at: fc.nat(valid.length - 1), value: fc.integer({ min: 0, max: 255 }) });
    const property = fc.property(fc.array(change, { minLength: 1, maxLength: 3 }), (changes) => {
      const bytes = valid.slice();
      for (const { at, value } of changes) bytes[at] = value;
      try {
        const header = readWsqHeader(bytes);
        expect(header.width * header.height).toBeGreaterThan(0);
      } catch (error) {
        if (!isConcordError(error) || !error.code.startsWith('WSQ_')) throw error;
      }
    });
    fc.assert(property, { seed: 3103, numRuns: 300 });
  });
});

describe('a stream that codes no subband', () => {
  it('is refused with a WSQ error, not a crash (a flat image at a tiny bit rate makes one)', () => {
    const flat = encodeWsq({ width: 300, height: 300, pixels: new Uint8Array(300 * 300).fill(128) }, { bitrate: 0.01 });
    expect(expectWsqError(() => decodeWsq(flat), 'WSQ_BAD_TABLE').message).toContain('every bin width is 0');
  });
});
