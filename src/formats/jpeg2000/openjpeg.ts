import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ConcordError } from '../../shared/errors.ts';
import { codestreamOf, type Jpeg2000Header, jp2FileOf, readJpeg2000Header } from './codestream.ts';

/** 64 M samples: a 1000 ppi palm print in colour, with room to spare. */
const MAX_SAMPLES = 64 * 1024 * 1024;

/** The part of OpenJPEG's WebAssembly build (embind classes) that Concord uses. */
interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
  isUsingColorTransform?: boolean;
}
interface J2KDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  getFrameInfo(): FrameInfo;
  getDecodedBuffer(): Uint8Array;
  delete(): void;
}
interface J2KEncoder {
  getDecodedBuffer(frame: FrameInfo): Uint8Array;
  setQuality(lossless: boolean, quality: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}
interface OpenJpeg {
  J2KDecoder: new () => J2KDecoder;
  J2KEncoder: new () => J2KEncoder;
}

/** The WebAssembly global, typed here because the project's TypeScript libraries leave it out. */
interface WasmInstance {
  readonly exports: object;
}
const wasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object; Instance: new (module: object, imports: object) => WasmInstance } }).WebAssembly;

let codec: OpenJpeg | undefined;

/**
 * OpenJPEG, instantiated once and synchronously: images are decoded on the synchronous path of
 * the capture workers, and WebAssembly.Instance on the bytes of the package's own module needs
 * no event-loop turn. Its log lines are silenced; failures come back as exceptions.
 */
function openJpeg(): OpenJpeg {
  if (codec) return codec;
  const require = createRequire(import.meta.url);
  const factory = require('@cornerstonejs/codec-openjpeg/wasmjs') as (module: object) => Promise<unknown>;
  const wasm = readFileSync(require.resolve('@cornerstonejs/codec-openjpeg/wasm'));
  const module: Partial<OpenJpeg> & Record<string, unknown> = {
    print: () => undefined,
    printErr: () => undefined,
    instantiateWasm(imports: object, receive: (instance: WasmInstance) => void) {
      const instance = new wasmApi.Instance(new wasmApi.Module(wasm), imports);
      receive(instance);
      return instance.exports;
    },
  };
  void factory(module);
  if (!module.J2KDecoder || !module.J2KEncoder) throw new ConcordError('JP2_CODEC_UNAVAILABLE', 'the JPEG 2000 codec did not start');
  codec = module as OpenJpeg;
  return codec;
}

export interface DecodedJpeg2000 {
  readonly width: number;
  readonly height: number;
  readonly components: number;
  readonly bitsPerSample: number;
  /** Samples interleaved by component; two bytes (little-endian) a sample above 8 bits. */
  readonly samples: Uint8Array;
}

/** Decodes a JPEG 2000 image (JP2 file or raw codestream, lossy or lossless). */
export function decodeJpeg2000(bytes: Uint8Array): DecodedJpeg2000 {
  const stream = codestreamOf(bytes);
  const header = readJpeg2000Header(stream);
  // The codec's memory is fixed once grown too far; a header asking for more is refused first.
  if (header.width * header.height * header.components > MAX_SAMPLES) {
    throw new ConcordError('JP2_TOO_LARGE', `a JPEG 2000 image of ${header.width}×${header.height}×${header.components} samples is larger than Concord decodes`);
  }
  const decoder = new (openJpeg().J2KDecoder)();
  try {
    decoder.getEncodedBuffer(stream.length).set(stream);
    decoder.decode();
    const frame = decoder.getFrameInfo();
    const expected = frame.width * frame.height * frame.componentCount * (frame.bitsPerSample > 8 ? 2 : 1);
    // OpenJPEG may give up on a damaged codestream without raising; it then reports no image.
    if (frame.width <= 0 || frame.height <= 0 || decoder.getDecodedBuffer().length < expected) {
      throw new ConcordError('JP2_INVALID', 'the JPEG 2000 codestream is damaged: it decodes to no complete image');
    }
    return { width: frame.width, height: frame.height, components: frame.componentCount, bitsPerSample: frame.bitsPerSample, samples: decoder.getDecodedBuffer().slice() };
  } catch (error) {
    if (error instanceof ConcordError) throw error;
    throw new ConcordError('JP2_INVALID', `the JPEG 2000 codestream does not decode (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    decoder.delete();
  }
}

export interface Jpeg2000EncodeOptions {
  /**
   * Lossless (JP2L, reversible 5/3 wavelet) or lossy (JP2, irreversible 9/7 wavelet). This build
   * of OpenJPEG applies no rate target, so a lossy image is not much smaller than a lossless one.
   */
  readonly lossless: boolean;
}

/** Encodes 8-bit grey pixels as a JP2 file. */
export function encodeJpeg2000(image: { width: number; height: number; pixels: Uint8Array }, options: Jpeg2000EncodeOptions): Uint8Array {
  const encoder = new (openJpeg().J2KEncoder)();
  try {
    const frame = { width: image.width, height: image.height, bitsPerSample: 8, componentCount: 1, isSigned: false, isUsingColorTransform: false };
    encoder.getDecodedBuffer(frame).set(image.pixels);
    if (!options.lossless) encoder.setQuality(false, 0);
    encoder.encode();
    const header: Jpeg2000Header = { width: image.width, height: image.height, components: 1, bitsPerSample: 8 };
    return jp2FileOf(encoder.getEncodedBuffer().slice(), header);
  } finally {
    encoder.delete();
  }
}
