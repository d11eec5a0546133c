import { wsqError } from './byte-io.ts';
import { decodeBlock, unstuff } from './entropy-decode.ts';
import { buildDecoder, type HuffmanDecoder } from './huffman.ts';
import { Marker } from './markers.ts';
import { checkFrameSize } from './read-wsq-header.ts';
import { readSegment } from './segments.ts';
import { codedCount, DequantizingPlane } from './quantize.ts';
import { BLOCK_STARTS, blockSubbands, wsqLayout } from './subband-tree.ts';
import {
  ppiFromComment,
  readFrameHeader,
  readHuffmanTables,
  readQuantizationTable,
  readTransformTable,
  type FrameHeader,
  type QuantizationTable,
} from './tables.ts';
import { reconstruct, type FilterBank, type Plane } from './wavelet.ts';

export interface DecodedWsq {
  width: number;
  height: number;
  pixels: Uint8Array;
  /** Resolution from the NIST comment, when the file carries one. */
  ppi?: number;
}

/**
 * Decodes an FBI WSQ image (spec v3.1): marker segments, then the three entropy-coded blocks,
 * dequantization, the inverse wavelet transform and the shift/scale back to 8-bit gray.
 * Every defect is a ConcordError (WSQ_TRUNCATED, WSQ_BAD_MARKER, WSQ_BAD_TABLE, WSQ_BAD_HUFFMAN,
 * WSQ_DIMENSIONS) with the byte offset where it was found.
 */
export function decodeWsq(bytes: Uint8Array): DecodedWsq {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== Marker.SOI) {
    throw wsqError(bytes.length < 2 ? 'WSQ_TRUNCATED' : 'WSQ_BAD_MARKER', 'data does not start with the SOI marker FFA0', 0);
  }
  let bank: FilterBank | undefined;
  let quantization: QuantizationTable | undefined;
  let frame: FrameHeader | undefined;
  let ppi: number | undefined;
  const huffman = new Map<number, HuffmanDecoder>();
  let image: ImageState | undefined;
  let blocksSeen = 0;
  let pos = 2;

  while (true) {
    const segment = readSegment(bytes, pos);
    if (!segment) {
      pos += 2;
      break;
    }
    const { marker, markerAt, end: segmentEnd, reader: r } = segment;

    switch (marker) {
      case Marker.DTT:
        bank = readTransformTable(r);
        break;
      case Marker.DQT:
        // Coefficients are dequantized as they are decoded: a table must not change under them.
        if (image) throw wsqError('WSQ_BAD_TABLE', 'quantization table (DQT) redefined after the image data began', markerAt);
        quantization = readQuantizationTable(r);
        break;
      case Marker.DHT:
        for (const table of readHuffmanTables(r)) huffman.set(table.id, buildDecoder(table, markerAt));
        break;
      case Marker.DRT:
        r.u16(); // restart interval: WSQ encoders do not use restarts; nothing depends on it
        break;
      case Marker.COM:
        ppi ??= ppiFromComment(Buffer.from(r.bytesUpTo(r.remaining)).toString('latin1'));
        break;
      case Marker.SOF:
        if (frame) throw wsqError('WSQ_BAD_MARKER', 'second frame header (SOF)', markerAt);
        frame = readFrameHeader(r);
        checkFrameSize(frame.width, frame.height, bytes.length, markerAt);
        break;
      case Marker.SOB: {
        const tableId = r.u8();
        if (!frame) throw wsqError('WSQ_BAD_MARKER', 'block (SOB) before the frame header (SOF)', markerAt);
        if (!bank) throw wsqError('WSQ_BAD_TABLE', 'block (SOB) before the transform table (DTT)', markerAt);
        if (!quantization) throw wsqError('WSQ_BAD_TABLE', 'block (SOB) before the quantization table (DQT)', markerAt);
        const decoder = huffman.get(tableId);
        if (!decoder) throw wsqError('WSQ_BAD_TABLE', `block uses Huffman table ${tableId}, which no DHT segment defined`, markerAt);
        image ??= startImage(frame, quantization, bytes.length, markerAt);
        if (blocksSeen >= BLOCK_STARTS.length) throw wsqError('WSQ_BAD_MARKER', 'more than three blocks (SOB)', markerAt);
        blocksSeen++;
        const { length, markerAt: next } = unstuff(bytes, segmentEnd, image.scratch);
        // The block decodes up to the end of the first block that still lacks coefficients.
        const softEnd = image.blockEnds.find((end) => end > image!.decoded) ?? image.coefficients.total;
        image.decoded = decodeBlock(image.scratch, length, decoder, image.coefficients, image.decoded, softEnd, segmentEnd);
        pos = next;
        continue;
      }
    }
    pos = segmentEnd;
  }

  if (!frame) throw wsqError('WSQ_BAD_MARKER', 'no frame header (SOF) before EOI', pos - 2);
  if (!bank || !quantization) throw wsqError('WSQ_BAD_TABLE', 'transform or quantization table missing', pos - 2);
  image ??= startImage(frame, quantization, bytes.length, pos - 2);
  if (image.decoded < image.coefficients.total) {
    throw wsqError('WSQ_TRUNCATED', `image data ends after ${image.decoded} of ${image.coefficients.total} coefficients`, pos - 2);
  }
  const { width, height } = frame;
  const { plane } = image.coefficients;
  reconstruct(plane, width, wsqLayout(width, height).splits, bank);
  const pixels = toBytes(plane, frame.shift, frame.scale);
  return ppi === undefined ? { width, height, pixels } : { width, height, pixels, ppi };
}

interface ImageState {
  /** The plane the entropy decoder fills, dequantized, before the inverse transform. */
  coefficients: DequantizingPlane;
  /** Cumulative coefficient counts at the end of blocks 1, 2, 3. */
  blockEnds: number[];
  decoded: number;
  scratch: Uint8Array;
}

function startImage(frame: FrameHeader, table: QuantizationTable, fileLength: number, at: number): ImageState {
  const { subbands } = wsqLayout(frame.width, frame.height);
  const blockEnds: number[] = [];
  let total = 0;
  for (let block = 0; block < BLOCK_STARTS.length; block++) {
    const [from, to] = blockSubbands(block);
    total += codedCount(subbands, table, from, to);
    blockEnds.push(total);
  }
  // A stream with nothing coded has no image to reconstruct (a flat capture at a tiny bit rate makes one).
  if (total === 0) throw wsqError('WSQ_BAD_TABLE', 'the quantization table codes no subband: every bin width is 0', at);
  const coefficients = new DequantizingPlane(new Float32Array(frame.width * frame.height), frame.width, subbands, table);
  return { coefficients, blockEnds, decoded: 0, scratch: new Uint8Array(fileLength) };
}

/**
 * Undoes the encoder's normalisation and rounds to 8 bits. A clamped array rounds and clips in
 * one store (ties go to even, where the reference adds 0.5 and truncates: a tie is a
 * one-grey-level difference that essentially never occurs with real coefficients).
 */
function toBytes(plane: Plane, shift: number, scale: number): Uint8Array {
  const n = plane.length; // read once: a typed array's length is re-checked on every read
  const pixels = new Uint8ClampedArray(n);
  for (let i = 0; i < n; i++) pixels[i] = plane[i] * scale + shift;
  return new Uint8Array(pixels.buffer);
}
