import { wsqError } from './byte-io.ts';
import { HUFFMAN_LOOKUP_BITS, type HuffmanDecoder } from './huffman.ts';
import type { DequantizingPlane } from './quantize.ts';
import { WsqSymbol as Sym } from './symbols.ts';

/**
 * Entropy-coded data of one block: bytes up to the next marker, with the 0x00 stuffed after each
 * data 0xFF removed. Returns the clean length and where the marker starts.
 */
export function unstuff(bytes: Uint8Array, start: number, into: Uint8Array): { length: number; markerAt: number } {
  let length = 0;
  let i = start;
  const end = bytes.length;
  while (i < end) {
    const b = bytes[i];
    if (b !== 0xff) {
      into[length++] = b;
      i++;
      continue;
    }
    if (i + 1 >= end) break;
    if (bytes[i + 1] !== 0) return { length, markerAt: i };
    into[length++] = 0xff;
    i += 2;
  }
  throw wsqError('WSQ_TRUNCATED', 'entropy-coded data runs to the end of the file without a closing marker', end);
}

/**
 * Decodes WSQ symbols from `data[0..length)` into `out`, starting at coefficient `outPos`. Stops
 * when the data is used up (what remains is fewer bits than the next code: padding), or — when
 * fewer than 8 bits are left — at `softEnd`, the end of the block the encoder meant these bits
 * for. Returns the new coefficient position; runs of zeros only advance it. `dataOffset` locates
 * the block in the file for errors.
 */
export function decodeBlock(
  data: Uint8Array,
  length: number,
  decoder: HuffmanDecoder,
  out: DequantizingPlane,
  outPos: number,
  softEnd: number,
  dataOffset: number,
): number {
  const totalBits = length * 8;
  const limit = out.total;
  const { lookup, maxCode, firstCode, firstIndex, values } = decoder;
  let bytePos = 0;
  let acc = 0; // bit accumulator; the low `held` bits are pending
  let held = 0;
  let consumed = 0;
  const fail = (message: string): never => {
    throw wsqError('WSQ_BAD_HUFFMAN', message, dataOffset + Math.floor(consumed / 8), { coefficient: outPos });
  };
  const fill = () => {
    while (held <= 24) {
      acc = ((acc << 8) | (bytePos < length ? data[bytePos] : 0xff)) >>> 0;
      bytePos++;
      held += 8;
    }
  };
  const take = (n: number): number => {
    if (held < n) fill();
    held -= n;
    consumed += n;
    return (acc >>> held) & ((1 << n) - 1);
  };
  while (true) {
    const left = totalBits - consumed;
    if (left <= 0 || outPos >= limit || (outPos >= softEnd && left < 8)) break;
    if (held < 16) fill();
    // Decode one symbol: the lookup table for short codes, the canonical bounds for longer ones.
    let symbol = -1;
    let codeLength = 0;
    const entry = lookup[(acc >>> (held - HUFFMAN_LOOKUP_BITS)) & ((1 << HUFFMAN_LOOKUP_BITS) - 1)];
    if (entry !== 0) {
      codeLength = entry >>> 8;
      symbol = entry & 0xff;
    } else {
      for (let len = HUFFMAN_LOOKUP_BITS + 1; len <= 16; len++) {
        const code = (acc >>> (held - len)) & ((1 << len) - 1);
        if (maxCode[len] >= 0 && code <= maxCode[len]) {
          codeLength = len;
          symbol = values[firstIndex[len] + code - firstCode[len]];
          break;
        }
      }
      if (symbol < 0) {
        if (left < 16) break; // only padding bits remain
        fail('bit pattern matches no code of the Huffman table');
      }
    }
    if (codeLength > left) break; // the "code" runs into the padding
    held -= codeLength;
    consumed += codeLength;
    if (symbol > 0 && symbol <= Sym.MAX_SHORT_RUN) {
      outPos = zeroRun(limit, outPos, symbol, fail);
    } else if (symbol > Sym.RUN_16 && symbol < 0xff) {
      out.put(outPos++, symbol - Sym.DIRECT_OFFSET);
    } else {
      const rawLength = symbol === Sym.POSITIVE_8 || symbol === Sym.NEGATIVE_8 || symbol === Sym.RUN_8 ? 8 : 16;
      if (symbol < Sym.POSITIVE_8 || symbol > Sym.RUN_16) fail(`symbol ${symbol} has no meaning in WSQ`);
      if (consumed + rawLength > totalBits) {
        throw wsqError('WSQ_TRUNCATED', 'block ends inside an escaped value', dataOffset + length, { coefficient: outPos });
      }
      const raw = take(rawLength);
      if (symbol === Sym.RUN_8 || symbol === Sym.RUN_16) outPos = zeroRun(limit, outPos, raw, fail);
      else out.put(outPos++, symbol === Sym.POSITIVE_8 || symbol === Sym.POSITIVE_16 ? raw : -raw);
    }
  }
  return outPos;
}

/** A run of zeros only advances: the plane starts zeroed and each position is written once. */
function zeroRun(limit: number, at: number, run: number, fail: (message: string) => never): number {
  if (at + run > limit) fail(`a run of ${run} zeros overruns the ${limit} coefficients of the image`);
  return at + run;
}
