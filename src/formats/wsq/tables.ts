import { ByteReader, ByteWriter, toScaled, wsqError } from './byte-io.ts';
import type { FilterBank } from './wavelet.ts';
import { TABLE_SUBBANDS } from './subband-tree.ts';
import { Marker } from './markers.ts';

/**
 * The WSQ marker segments other than the entropy-coded data: reading each from a bounded reader
 * and writing each in the layout the spec fixes (every length field counts itself).
 */

export interface FrameHeader {
  readonly black: number;
  readonly white: number;
  readonly width: number;
  readonly height: number;
  /** The encoder subtracted `shift` and divided by `scale` before transforming. */
  readonly shift: number;
  readonly scale: number;
  readonly encoder: number;
  readonly software: number;
}

export interface QuantizationTable {
  readonly binCenter: number;
  /** Bin width Q and zero-bin width Z per subband (64 entries; Q = 0 means "not coded"). */
  readonly binWidths: Float64Array;
  readonly zeroBinWidths: Float64Array;
}

export interface HuffmanTableSpec {
  readonly id: number;
  /** bits[len] = number of codes of length len (1..16); bits[0] unused. */
  readonly bits: Uint8Array;
  readonly values: Uint8Array;
}

const MAX_FILTER_TAPS = 31;
export const MAX_HUFFMAN_TABLES = 8;

export function readFrameHeader(r: ByteReader): FrameHeader {
  const black = r.u8();
  const white = r.u8();
  const height = r.u16();
  const width = r.u16();
  const shift = r.scaled16();
  const scale = r.scaled16();
  const encoder = r.u8();
  const software = r.u16();
  return { black, white, width, height, shift, scale, encoder, software };
}

export function writeFrameHeader(w: ByteWriter, frame: FrameHeader): void {
  w.u16(0xff00 | Marker.SOF);
  w.u16(17);
  w.u8(frame.black);
  w.u8(frame.white);
  w.u16(frame.height);
  w.u16(frame.width);
  writeScaled16(w, frame.shift);
  writeScaled16(w, frame.scale);
  w.u8(frame.encoder);
  w.u16(frame.software);
}

/**
 * DTT: the sizes of the lowpass and highpass analysis filters, then the taps from the centre
 * outwards, each a sign byte, a decimal exponent byte and a 32-bit magnitude. Only the symmetric
 * odd-length filters the standard uses are accepted.
 */
export function readTransformTable(r: ByteReader): FilterBank {
  const start = r.pos;
  const lowSize = r.u8();
  const highSize = r.u8();
  for (const [size, name] of [[lowSize, 'lowpass'], [highSize, 'highpass']] as const) {
    if (size % 2 === 0 || size > MAX_FILTER_TAPS) {
      throw wsqError('WSQ_BAD_TABLE', `transform table gives a ${name} filter of ${size} taps; odd lengths up to ${MAX_FILTER_TAPS} are supported`, start);
    }
  }
  const readTaps = (size: number) => {
    const taps = new Float64Array((size + 1) / 2);
    for (let k = 0; k < taps.length; k++) {
      const sign = r.u8();
      const exponent = r.u8();
      const magnitude = r.u32() / 10 ** exponent;
      taps[k] = sign === 0 ? magnitude : -magnitude;
    }
    return taps;
  };
  const lowpass = readTaps(lowSize);
  const highpass = readTaps(highSize);
  return { lowpass, highpass };
}

export function writeTransformTable(w: ByteWriter, bank: FilterBank): void {
  w.u16(0xff00 | Marker.DTT);
  w.u16(2 + 2 + 6 * (bank.lowpass.length + bank.highpass.length));
  w.u8(bank.lowpass.length * 2 - 1);
  w.u8(bank.highpass.length * 2 - 1);
  for (const taps of [bank.lowpass, bank.highpass]) {
    for (const tap of taps) {
      const { exponent, integer } = toScaled(tap, 0xffffffff);
      w.u8(tap < 0 ? 1 : 0);
      w.u8(exponent);
      w.u32(integer);
    }
  }
}

/** The filters exactly as a decoder will read them back from `writeTransformTable`. */
export function asTransmitted(bank: FilterBank): FilterBank {
  const round = (taps: Float64Array) =>
    taps.map((tap) => {
      const { exponent, integer } = toScaled(tap, 0xffffffff);
      return (tap < 0 ? -integer : integer) / 10 ** exponent;
    });
  return { lowpass: round(bank.lowpass), highpass: round(bank.highpass) };
}

export function readQuantizationTable(r: ByteReader): QuantizationTable {
  const binCenter = r.scaled16();
  const binWidths = new Float64Array(TABLE_SUBBANDS);
  const zeroBinWidths = new Float64Array(TABLE_SUBBANDS);
  for (let k = 0; k < TABLE_SUBBANDS; k++) {
    binWidths[k] = r.scaled16();
    zeroBinWidths[k] = r.scaled16();
  }
  return { binCenter, binWidths, zeroBinWidths };
}

export function writeQuantizationTable(w: ByteWriter, table: QuantizationTable): void {
  w.u16(0xff00 | Marker.DQT);
  w.u16(2 + 3 + 6 * TABLE_SUBBANDS);
  writeScaled16(w, table.binCenter);
  for (let k = 0; k < TABLE_SUBBANDS; k++) {
    writeScaled16(w, table.binWidths[k]);
    writeScaled16(w, table.zeroBinWidths[k]);
  }
}

/** A value as a decoder reads it back after `writeScaled16`. */
export function roundScaled16(value: number): number {
  const { exponent, integer } = toScaled(value, 0xffff);
  return integer / 10 ** exponent;
}

function writeScaled16(w: ByteWriter, value: number): void {
  const { exponent, integer } = toScaled(value, 0xffff);
  w.u8(exponent);
  w.u16(integer);
}

/** DHT: one or more tables, each an id, 16 code-length counts and the symbols in code order. */
export function readHuffmanTables(r: ByteReader): HuffmanTableSpec[] {
  const tables: HuffmanTableSpec[] = [];
  do {
    const at = r.pos;
    const id = r.u8();
    if (id >= MAX_HUFFMAN_TABLES) throw wsqError('WSQ_BAD_TABLE', `Huffman table id ${id} is out of range 0–${MAX_HUFFMAN_TABLES - 1}`, at);
    const bits = new Uint8Array(17);
    let total = 0;
    for (let len = 1; len <= 16; len++) total += bits[len] = r.u8();
    if (total === 0 || total > 256) throw wsqError('WSQ_BAD_HUFFMAN', `Huffman table ${id} declares ${total} codes (1–256 allowed)`, at);
    const values = r.bytesUpTo(total).slice();
    tables.push({ id, bits, values });
  } while (r.remaining > 0);
  return tables;
}

export function writeHuffmanTable(w: ByteWriter, table: HuffmanTableSpec): void {
  w.u16(0xff00 | Marker.DHT);
  w.u16(2 + 1 + 16 + table.values.length);
  w.u8(table.id);
  for (let len = 1; len <= 16; len++) w.u8(table.bits[len]);
  w.bytes(table.values);
}

export function writeBlockHeader(w: ByteWriter, tableId: number): void {
  w.u16(0xff00 | Marker.SOB);
  w.u16(3);
  w.u8(tableId);
}

/** COM segments carry free text; the NIST comment is "NIST_COM n" then "KEY value" lines. */
export function writeComment(w: ByteWriter, text: string): void {
  const data = Buffer.from(text, 'latin1');
  if (data.length > 0xffff - 2) throw wsqError('WSQ_BAD_TABLE', 'comment is too long for one COM segment', w.length);
  w.u16(0xff00 | Marker.COM);
  w.u16(2 + data.length);
  w.bytes(data);
}

/** PPI from a NIST comment, when it gives a positive value. */
export function ppiFromComment(text: string): number | undefined {
  if (!text.startsWith('NIST_COM')) return undefined;
  const match = /(?:^|\n)PPI[ \t]+(-?\d+)/.exec(text);
  if (!match) return undefined;
  const ppi = Number(match[1]);
  return ppi > 0 ? ppi : undefined;
}

export function nistComment(width: number, height: number, ppi: number | undefined, bitrate: number): string {
  const fields = [
    `PIX_WIDTH ${width}`,
    `PIX_HEIGHT ${height}`,
    'PIX_DEPTH 8',
    `PPI ${ppi ?? -1}`,
    'LOSSY 1',
    'COLORSPACE GRAY',
    'COMPRESSION WSQ',
    `WSQ_BITRATE ${bitrate.toFixed(6)}`,
  ];
  return `NIST_COM ${fields.length + 1}\n${fields.join('\n')}\n`;
}
