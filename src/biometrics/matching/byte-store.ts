/**
 * Small byte strings, one per slot (a finger's encoded template, its pair list), packed one after
 * another in large chunks: a million fingers are a few hundred chunks instead of a million small
 * buffers, each of which would cost more in bookkeeping than its bytes.
 */
const CHUNK_BYTES = 4 * 1024 * 1024;

export class ByteStore {
  private readonly chunks: Uint8Array[] = [];
  private used = CHUNK_BYTES;
  private chunkOf = new Uint32Array(1024);
  private offsetOf = new Uint32Array(1024);
  private lengthOf = new Uint32Array(1024);
  private slots = 0;

  /** Keeps `bytes` under the next slot and returns it. */
  put(bytes: Uint8Array): number {
    if (this.chunks.length === 0 || this.used + bytes.length > CHUNK_BYTES) {
      this.chunks.push(new Uint8Array(Math.max(CHUNK_BYTES, bytes.length)));
      this.used = 0;
    }
    const slot = this.slots++;
    if (slot >= this.chunkOf.length) {
      this.chunkOf = grown(this.chunkOf);
      this.offsetOf = grown(this.offsetOf);
      this.lengthOf = grown(this.lengthOf);
    }
    this.chunks[this.chunks.length - 1].set(bytes, this.used);
    this.chunkOf[slot] = this.chunks.length - 1;
    this.offsetOf[slot] = this.used;
    this.lengthOf[slot] = bytes.length;
    this.used += bytes.length;
    return slot;
  }

  /** The bytes of a slot, as a view (not a copy). */
  get(slot: number): Uint8Array {
    const offset = this.offsetOf[slot];
    return this.chunks[this.chunkOf[slot]].subarray(offset, offset + this.lengthOf[slot]);
  }

  get size(): number {
    return this.slots;
  }

  get bytes(): number {
    return this.chunks.length * CHUNK_BYTES + 3 * this.chunkOf.byteLength;
  }
}

function grown(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
