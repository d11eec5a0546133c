import { ConcordError } from '../../shared/errors.ts';

/**
 * Decodes an uncompressed Windows bitmap (1/4/8-bit palettised, 24- or 32-bit) to 8-bit gray.
 * Fingerprint datasets ship BMPs and the image library we use does not read them.
 */
export interface DecodedGray {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Resolution recorded in the file, when it records one. */
  ppi?: number;
}

const MAX_SIDE = 20_000;

export function isBmp(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

function fail(message: string, offset: number): never {
  throw new ConcordError('CORRUPT_IMAGE', `BMP: ${message}`, { format: 'bmp', offset });
}

/** The size and resolution a BMP declares, read from its header alone (nothing is allocated for the pixels). */
export function readBmpHeader(bytes: Uint8Array): { width: number; height: number; ppi?: number } {
  const { width, height, ppi } = parseHeader(bytes);
  return ppi === undefined ? { width, height } : { width, height, ppi };
}

function parseHeader(bytes: Uint8Array) {
  if (!isBmp(bytes)) fail('missing "BM" signature', 0);
  if (bytes.length < 54) fail(`file is ${bytes.length} bytes, shorter than the 54-byte header`, bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dataOffset = view.getUint32(10, true);
  const headerSize = view.getUint32(14, true);
  if (headerSize < 40) fail(`unsupported header size ${headerSize} (OS/2 bitmaps are not supported)`, 14);
  const width = view.getInt32(18, true);
  const signedHeight = view.getInt32(22, true);
  const bitsPerPixel = view.getUint16(28, true);
  const compression = view.getUint32(30, true);
  const pixelsPerMetre = view.getInt32(38, true);
  const height = Math.abs(signedHeight);
  const topDown = signedHeight < 0;
  if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) fail(`implausible size ${width}×${height}`, 18);
  if (compression !== 0 && !(compression === 3 && bitsPerPixel === 32)) fail(`compression ${compression} is not supported`, 30);
  if (![1, 4, 8, 24, 32].includes(bitsPerPixel)) fail(`${bitsPerPixel} bits per pixel is not supported`, 28);
  const ppi = pixelsPerMetre > 0 ? Math.round(pixelsPerMetre * 0.0254) : undefined;
  return { view, dataOffset, headerSize, width, height, topDown, bitsPerPixel, ppi };
}

export function decodeBmp(bytes: Uint8Array): DecodedGray {
  const { view, dataOffset, headerSize, width, height, topDown, bitsPerPixel, ppi } = parseHeader(bytes);

  let palette: Uint8Array | undefined;
  if (bitsPerPixel <= 8) {
    const declared = view.getUint32(46, true);
    const entries = declared === 0 ? 1 << bitsPerPixel : declared;
    const paletteStart = 14 + headerSize;
    if (entries > 256 || paletteStart + entries * 4 > bytes.length) fail('palette runs past the end of the file', paletteStart);
    palette = new Uint8Array(entries);
    for (let i = 0; i < entries; i++) {
      const o = paletteStart + i * 4;
      palette[i] = luminance(bytes[o + 2], bytes[o + 1], bytes[o]);
    }
  }

  const rowBytes = Math.ceil((width * bitsPerPixel) / 32) * 4;
  if (dataOffset + rowBytes * height > bytes.length) {
    fail(`pixel data needs ${rowBytes * height} bytes from offset ${dataOffset}, file has ${bytes.length - dataOffset}`, bytes.length);
  }
  const pixels = new Uint8Array(width * height);
  for (let row = 0; row < height; row++) {
    const src = dataOffset + (topDown ? row : height - 1 - row) * rowBytes;
    const dst = row * width;
    for (let x = 0; x < width; x++) {
      let value: number;
      if (bitsPerPixel === 24 || bitsPerPixel === 32) {
        const o = src + x * (bitsPerPixel / 8);
        value = luminance(bytes[o + 2], bytes[o + 1], bytes[o]);
      } else {
        const bitOffset = x * bitsPerPixel;
        const byte = bytes[src + (bitOffset >> 3)];
        const index = (byte >> (8 - bitsPerPixel - (bitOffset & 7))) & ((1 << bitsPerPixel) - 1);
        if (index >= palette!.length) fail(`palette index ${index} out of range`, src + (bitOffset >> 3));
        value = palette![index];
      }
      pixels[dst + x] = value;
    }
  }
  return { width, height, pixels, ppi };
}

function luminance(r: number, g: number, b: number): number {
  return Math.round(0.299 * r + 0.587 * g + 0.114 * b);
}
