import { wsqError } from './byte-io.ts';
import type { HuffmanTableSpec } from './tables.ts';

/**
 * Canonical Huffman codes as WSQ defines them (the JPEG procedure, ITU T.81 Annex C and K):
 * codes of each length are consecutive integers, lengths 1–16, and the all-ones code of the
 * longest length is never assigned, so padding a block with 1-bits can never complete a code.
 */

const LOOKUP_BITS = 9;

export interface HuffmanDecoder {
  /** Indexed by the next LOOKUP_BITS bits: (length << 8) | symbol, or 0 for longer codes. */
  readonly lookup: Uint16Array;
  /** For lengths 1–16: the largest code of that length (-1 if none), and where its symbols start. */
  readonly maxCode: Int32Array;
  readonly firstCode: Int32Array;
  readonly firstIndex: Int32Array;
  readonly values: Uint8Array;
}

export const HUFFMAN_LOOKUP_BITS = LOOKUP_BITS;

export function buildDecoder(table: HuffmanTableSpec, offset: number): HuffmanDecoder {
  const lookup = new Uint16Array(1 << LOOKUP_BITS);
  const maxCode = new Int32Array(17).fill(-1);
  const firstCode = new Int32Array(17);
  const firstIndex = new Int32Array(17);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= 16; len++) {
    const count = table.bits[len];
    firstCode[len] = code;
    firstIndex[len] = index;
    if (count > 0) {
      if (code + count > 1 << len) {
        throw wsqError('WSQ_BAD_HUFFMAN', `Huffman table ${table.id} has more codes of length ${len} than fit (over-subscribed)`, offset);
      }
      for (let i = 0; i < count; i++) {
        const c = code + i;
        if (len <= LOOKUP_BITS) {
          const shift = LOOKUP_BITS - len;
          const entry = (len << 8) | table.values[index + i];
          for (let fill = 0; fill < 1 << shift; fill++) lookup[(c << shift) | fill] = entry;
        }
      }
      maxCode[len] = code + count - 1;
      code += count;
      index += count;
    }
    code <<= 1;
  }
  return { lookup, maxCode, firstCode, firstIndex, values: table.values };
}

export interface HuffmanEncoder {
  readonly spec: HuffmanTableSpec;
  /** Code and length per symbol (length 0: symbol absent). */
  readonly codes: Uint32Array;
  readonly lengths: Uint8Array;
}

/**
 * Builds an optimal code for the symbol counts, limited to 16 bits with the reserved all-ones
 * code (T.81 K.2/K.3): Huffman lengths with one extra pseudo-symbol, lengths over 16 folded back,
 * then the pseudo-symbol's slot removed from the longest length.
 */
export function buildEncoder(id: number, counts: ArrayLike<number>): HuffmanEncoder {
  const symbols: number[] = [];
  for (let s = 0; s < 256; s++) if (counts[s] > 0) symbols.push(s);
  const bits = lengthHistogram(symbols.map((s) => counts[s]));
  // Most frequent symbols take the shortest codes; ties by symbol value keep output deterministic.
  symbols.sort((a, b) => counts[b] - counts[a] || a - b);
  const lengths = new Uint8Array(256);
  const codes = new Uint32Array(256);
  let next = 0;
  let code = 0;
  const spec = { id, bits: new Uint8Array(17), values: new Uint8Array(symbols.length) };
  for (let len = 1; len <= 16; len++) {
    spec.bits[len] = bits[len];
    for (let i = 0; i < bits[len]; i++) {
      const symbol = symbols[next];
      spec.values[next++] = symbol;
      lengths[symbol] = len;
      codes[symbol] = code++;
    }
    code <<= 1;
  }
  return { spec, codes, lengths };
}

/** Code-length histogram (index = length) for the given frequencies, at most 16 bits. */
function lengthHistogram(frequencies: number[]): number[] {
  // Plain Huffman over the symbols plus a reserved pseudo-symbol of frequency 1 (sorted leaves,
  // two queues: O(n log n)).
  const leaves = [...frequencies, 1].sort((a, b) => a - b);
  const n = leaves.length;
  const depth = new Array<number>(n).fill(0);
  if (n === 1) depth[0] = 1;
  // Each node: weight and the leaf indices below it (at most 257 leaves, so lists are cheap).
  type Node = { weight: number; leaves: number[] };
  const leafQueue: Node[] = leaves.map((weight, i) => ({ weight, leaves: [i] }));
  const mergedQueue: Node[] = [];
  let li = 0;
  let mi = 0;
  const take = (): Node => {
    if (li < leafQueue.length && (mi >= mergedQueue.length || leafQueue[li].weight <= mergedQueue[mi].weight)) return leafQueue[li++];
    return mergedQueue[mi++];
  };
  for (let merges = 0; merges < n - 1; merges++) {
    const a = take();
    const b = take();
    for (const leaf of a.leaves) depth[leaf]++;
    for (const leaf of b.leaves) depth[leaf]++;
    mergedQueue.push({ weight: a.weight + b.weight, leaves: a.leaves.concat(b.leaves) });
  }
  const maxDepth = Math.max(...depth);
  const bits = new Array<number>(Math.max(maxDepth, 16) + 1).fill(0);
  for (const d of depth) bits[d]++;
  // Fold codes longer than 16 bits back (T.81 K.3): a pair at the deepest level becomes one code
  // one level up, and a shorter code becomes two codes one level deeper.
  for (let len = bits.length - 1; len > 16; len--) {
    while (bits[len] > 0) {
      let j = len - 2;
      while (bits[j] === 0) j--;
      bits[len] -= 2;
      bits[len - 1] += 1;
      bits[j + 1] += 2;
      bits[j] -= 1;
    }
  }
  let longest = 16;
  while (bits[longest] === 0) longest--;
  bits[longest]--; // drop the reserved pseudo-symbol
  return bits;
}
