import type { GrayImage } from '../../biometrics/gray-image.ts';
import { ConcordError } from '../../shared/errors.ts';
import { ByteWriter } from './byte-io.ts';
import { toSymbols, writeSymbols } from './entropy-encode.ts';
import { buildEncoder } from './huffman.ts';
import { Marker } from './markers.ts';
import { allocateBins, BIN_CENTER, quantizeSubbands, subbandVariances } from './quantize.ts';
import { BLOCK_STARTS, blockSubbands, wsqLayout } from './subband-tree.ts';
import { MAX_SIDE } from './read-wsq-header.ts';
import {
  asTransmitted,
  nistComment,
  roundScaled16,
  writeBlockHeader,
  writeComment,
  writeFrameHeader,
  writeHuffmanTable,
  writeQuantizationTable,
  writeTransformTable,
  type QuantizationTable,
} from './tables.ts';
import { decompose, STANDARD_FILTERS } from './wavelet.ts';

export interface WsqEncodeOptions {
  /** Target bits per pixel; the FBI's setting for 500 ppi prints is 0.75 (about 15:1). */
  bitrate?: number;
  /** Written into the NIST comment so readers know the scale; defaults to the image's own. */
  ppi?: number;
}

/** Pixels to encode; the resolution, when known, goes into the comment. */
export type WsqImage = Pick<GrayImage, 'width' | 'height' | 'pixels'> & { readonly ppi?: number };

export const DEFAULT_BITRATE = 0.75;
/** Encoder number written in the frame header; the reference software writes 2. */
const ENCODER_NUMBER = 2;
/** Smallest side the five-level decomposition can split. */
const MIN_SIDE = 32;

/**
 * Encodes an 8-bit grayscale image as FBI WSQ (spec v3.1): normalise around the mean, the 9/7
 * wavelet decomposition into 64 subbands, scalar quantization with bins chosen for the target bit
 * rate, then the three entropy-coded blocks — block 1 (subbands 0–18) with Huffman table 0,
 * blocks 2 and 3 sharing table 1, as the reference encoder lays them out.
 */
export function encodeWsq(image: WsqImage, options: WsqEncodeOptions = {}): Uint8Array {
  const { width, height, pixels } = image;
  const bitrate = options.bitrate ?? DEFAULT_BITRATE;
  if (width < MIN_SIDE || height < MIN_SIDE || width > MAX_SIDE || height > MAX_SIDE) {
    throw new ConcordError('WSQ_DIMENSIONS', `WSQ encodes images from ${MIN_SIDE} to ${MAX_SIDE} pixels a side, not ${width}×${height}`, { input: 'image' });
  }
  if (!(bitrate > 0 && bitrate <= 8)) throw new ConcordError('BAD_ARGUMENT', `WSQ bit rate must be in (0, 8] bits per pixel, not ${bitrate}`, { option: 'bitrate' });

  const { shift, scale } = normalisation(pixels);
  const plane = new Float32Array(width * height);
  for (let i = 0, n = plane.length; i < n; i++) plane[i] = (pixels[i] - shift) / scale;

  const bank = asTransmitted(STANDARD_FILTERS);
  const layout = wsqLayout(width, height);
  decompose(plane, width, layout.splits, bank);
  const table = transmittedTable(allocateBins(subbandVariances(plane, width, layout.subbands), bitrate));
  const coefficients = new Int32Array(width * height);
  quantizeSubbands(plane, width, layout.subbands, table, coefficients);

  // Split the quantized stream into the three blocks, and collect symbols per Huffman table.
  const blockRanges: Array<[number, number]> = [];
  let start = 0;
  for (let block = 0; block < BLOCK_STARTS.length; block++) {
    const [from, to] = blockSubbands(block);
    let count = 0;
    for (let k = from; k < to; k++) if (table.binWidths[k] !== 0) count += layout.subbands[k].width * layout.subbands[k].height;
    blockRanges.push([start, start + count]);
    start += count;
  }
  const firstCounts = new Uint32Array(256);
  const restCounts = new Uint32Array(256);
  const streams = blockRanges.map(([from, to], block) => toSymbols(coefficients, from, to, block === 0 ? firstCounts : restCounts));

  const w = new ByteWriter();
  w.u16(0xff00 | Marker.SOI);
  writeComment(w, nistComment(width, height, options.ppi ?? image.ppi, bitrate));
  writeTransformTable(w, STANDARD_FILTERS);
  writeQuantizationTable(w, table);
  writeFrameHeader(w, { black: 0, white: 255, width, height, shift, scale, encoder: ENCODER_NUMBER, software: 0 });
  const tables = [buildEncoder(0, ensureOneSymbol(firstCounts)), buildEncoder(1, ensureOneSymbol(restCounts))];
  writeHuffmanTable(w, tables[0].spec);
  writeBlockHeader(w, 0);
  writeSymbols(w, streams[0], tables[0]);
  writeHuffmanTable(w, tables[1].spec);
  for (const block of [1, 2]) {
    writeBlockHeader(w, 1);
    writeSymbols(w, streams[block], tables[1]);
  }
  w.u16(0xff00 | Marker.EOI);
  return w.toBytes();
}

/** Shift to the mean and scale so the pixels span about ±128, both as the decoder will read them. */
function normalisation(pixels: Uint8Array): { shift: number; scale: number } {
  let sum = 0;
  let min = 255;
  let max = 0;
  for (const p of pixels) {
    sum += p;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  const shift = roundScaled16(sum / pixels.length);
  const spread = Math.max(max - shift, shift - min);
  return { shift, scale: roundScaled16(spread > 0 ? spread / 128 : 1) };
}

/** The bin widths exactly as written, so the encoder quantizes with what the decoder will use. */
function transmittedTable(table: QuantizationTable): QuantizationTable {
  return {
    binCenter: roundScaled16(BIN_CENTER),
    binWidths: table.binWidths.map(roundScaled16),
    zeroBinWidths: table.zeroBinWidths.map(roundScaled16),
  };
}

/** A table must define at least one code, even for a block of nothing (an all-zero image). */
function ensureOneSymbol(counts: Uint32Array): Uint32Array {
  if (!counts.some((c) => c > 0)) counts[1] = 1;
  return counts;
}
