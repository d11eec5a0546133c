import { ConcordError } from '../../shared/errors.ts';

/** What the SIZ marker of a JPEG 2000 codestream says, read before anything is decoded. */
export interface Jpeg2000Header {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  /** Bits per sample of the first component. */
  readonly bitsPerSample: number;
}

const SOC = 0xff4f;
const SIZ = 0xff51;
/** The JP2 signature box: length 12, type "jP  ", content 0D0A870A (ISO/IEC 15444-1 Annex I). */
const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
const JP2C = 0x6a703263; // "jp2c", the contiguous codestream box

const fail = (why: string) => new ConcordError('JP2_INVALID', `not a JPEG 2000 image: ${why}`);

export function isJp2File(bytes: Uint8Array): boolean {
  return bytes.length >= JP2_SIGNATURE.length && JP2_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * The codestream of a JPEG 2000 image: the bytes themselves when they are a raw codestream (J2K),
 * or the content of the jp2c box of a JP2 file. Boxes are walked by their lengths, each checked
 * against the bytes present.
 */
export function codestreamOf(bytes: Uint8Array): Uint8Array {
  if (bytes.length >= 2 && ((bytes[0] << 8) | bytes[1]) === SOC) return bytes;
  if (!isJp2File(bytes)) throw fail('it starts with neither a codestream (FF4F) nor the JP2 signature box');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 8 <= bytes.length) {
    let length = view.getUint32(at);
    const type = view.getUint32(at + 4);
    let header = 8;
    if (length === 1) {
      if (at + 16 > bytes.length) break;
      const high = view.getUint32(at + 8);
      length = high === 0 ? view.getUint32(at + 12) : Number.MAX_SAFE_INTEGER;
      header = 16;
    } else if (length === 0) {
      length = bytes.length - at; // the last box runs to the end of the file
    }
    if (length < header || at + length > bytes.length) throw fail(`a box at offset ${at} says ${length} bytes but only ${bytes.length - at} remain`);
    if (type === JP2C) return bytes.subarray(at + header, at + length);
    at += length;
  }
  throw fail('the JP2 file holds no codestream box (jp2c)');
}

/** Reads the SIZ marker that must follow SOC at the start of a codestream. */
export function readJpeg2000Header(bytes: Uint8Array): Jpeg2000Header {
  const stream = codestreamOf(bytes);
  if (stream.length < 4 + 38 + 3) throw fail('the codestream is too short for its SIZ marker');
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (view.getUint16(2) !== SIZ) throw fail('SOC is not followed by a SIZ marker');
  // SIZ: Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, XTsiz, YTsiz, XTOsiz, YTOsiz, Csiz, then Ssiz per component.
  const width = view.getUint32(8) - view.getUint32(16);
  const height = view.getUint32(12) - view.getUint32(20);
  const components = view.getUint16(40);
  if (width <= 0 || height <= 0 || components === 0) throw fail(`SIZ gives an image of ${width}×${height} with ${components} components`);
  return { width, height, components, bitsPerSample: (view.getUint8(42) & 0x7f) + 1 };
}

/** Wraps a codestream in the smallest JP2 file for one grey component (signature, ftyp, jp2h with ihdr and colr, jp2c). */
export function jp2FileOf(codestream: Uint8Array, header: Jpeg2000Header): Uint8Array {
  const box = (type: string, content: number[]) => [...u32(8 + content.length), ...ascii(type), ...content];
  const ihdr = box('ihdr', [...u32(header.height), ...u32(header.width), ...u16(header.components), header.bitsPerSample - 1, 7, 0, 0]);
  // Enumerated colour space 17 is greyscale, 16 sRGB.
  const colr = box('colr', [1, 0, 0, ...u32(header.components === 1 ? 17 : 16)]);
  const prefix = [
    ...JP2_SIGNATURE,
    ...box('ftyp', [...ascii('jp2 '), ...u32(0), ...ascii('jp2 ')]),
    ...box('jp2h', [...ihdr, ...colr]),
    ...u32(8 + codestream.length),
    ...ascii('jp2c'),
  ];
  const out = new Uint8Array(prefix.length + codestream.length);
  out.set(prefix);
  out.set(codestream, prefix.length);
  return out;
}

const u32 = (value: number) => [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
const u16 = (value: number) => [(value >>> 8) & 255, value & 255];
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
