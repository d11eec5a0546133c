import { ByteWriter } from './byte-io.ts';
import type { HuffmanEncoder } from './huffman.ts';
import { WsqSymbol as Sym } from './symbols.ts';

/**
 * Turns quantized coefficients into WSQ symbols (spec Table 4: zero runs, small values coded
 * directly, larger ones and long runs escaped with 8 or 16 raw bits) and writes them with a
 * Huffman code. Symbols are first collected compactly so the table can be built from their counts.
 */

/** One symbol with its raw extra bits: symbol | extraLength << 8 | extraBits << 13. */
export type SymbolStream = Uint32Array;

const pack = (symbol: number, extraLength = 0, extra = 0) => (symbol | (extraLength << 8) | (extra << 13)) >>> 0;

export function toSymbols(coefficients: Int32Array, start: number, end: number, counts: Uint32Array): SymbolStream {
  const out: number[] = [];
  let run = 0;
  const flushRun = () => {
    while (run > 0) {
      const length = Math.min(run, 0xffff);
      if (length <= Sym.MAX_SHORT_RUN) out.push(pack(length));
      else if (length <= 0xff) out.push(pack(Sym.RUN_8, 8, length));
      else out.push(pack(Sym.RUN_16, 16, length));
      run -= length;
    }
  };
  for (let i = start; i < end; i++) {
    const value = coefficients[i];
    if (value === 0) {
      run++;
      continue;
    }
    flushRun();
    if (value > Sym.MAX_DIRECT) {
      out.push(value <= 0xff ? pack(Sym.POSITIVE_8, 8, value) : pack(Sym.POSITIVE_16, 16, Math.min(value, 0xffff)));
    } else if (value < Sym.MIN_DIRECT) {
      const magnitude = -value;
      out.push(magnitude <= 0xff ? pack(Sym.NEGATIVE_8, 8, magnitude) : pack(Sym.NEGATIVE_16, 16, Math.min(magnitude, 0xffff)));
    } else {
      out.push(pack(value + Sym.DIRECT_OFFSET));
    }
  }
  flushRun();
  const stream = Uint32Array.from(out);
  for (const packed of stream) counts[packed & 0xff]++;
  return stream;
}

/** Writes the symbols MSB-first with 0x00 stuffed after every 0xFF, padding the last byte with 1s. */
export function writeSymbols(w: ByteWriter, stream: SymbolStream, code: HuffmanEncoder): void {
  let acc = 0;
  let count = 0;
  const put = (bits: number, length: number) => {
    // Codes and raw fields are at most 16 bits and fewer than 8 are pending: no overflow.
    acc = ((acc << length) | bits) >>> 0;
    count += length;
    while (count >= 8) {
      count -= 8;
      const byte = (acc >>> count) & 0xff;
      w.u8(byte);
      if (byte === 0xff) w.u8(0);
    }
    acc &= (1 << count) - 1;
  };
  for (const packed of stream) {
    const symbol = packed & 0xff;
    put(code.codes[symbol], code.lengths[symbol]);
    const extraLength = (packed >>> 8) & 0x1f;
    if (extraLength > 0) put(packed >>> 13, extraLength);
  }
  if (count > 0) put((1 << (8 - count)) - 1, 8 - count);
}
