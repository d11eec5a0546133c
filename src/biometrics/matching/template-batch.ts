/**
 * Fingers on their way to a gallery worker, packed: the encoded templates end to end in one
 * buffer with their lengths. The buffers are transferred with the message, not copied, and one
 * buffer costs the structured clone far less than thousands of small ones.
 */
export interface PackedFingers {
  subjectIds: string[];
  positions: Uint8Array;
  lengths: Uint32Array;
  bytes: Uint8Array;
}

const FIRST_BYTES = 1 << 20;

export class TemplateBatch {
  private subjectIds: string[] = [];
  private positions: Uint8Array;
  private lengths: Uint32Array;
  private bytes = new Uint8Array(FIRST_BYTES);
  private used = 0;

  constructor(private readonly capacity: number) {
    this.positions = new Uint8Array(capacity);
    this.lengths = new Uint32Array(capacity);
  }

  get size(): number {
    return this.subjectIds.length;
  }

  get full(): boolean {
    return this.subjectIds.length >= this.capacity;
  }

  push(subjectId: string, position: number, encoded: Uint8Array): void {
    if (this.used + encoded.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(2 * this.bytes.length, this.used + encoded.length));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    this.bytes.set(encoded, this.used);
    this.used += encoded.length;
    this.positions[this.subjectIds.length] = position;
    this.lengths[this.subjectIds.length] = encoded.length;
    this.subjectIds.push(subjectId);
  }

  /** The fingers packed so far, and the buffers to transfer; the batch starts empty again. */
  take(): { fingers: PackedFingers; transfer: ArrayBuffer[] } {
    const n = this.subjectIds.length;
    const fingers = { subjectIds: this.subjectIds, positions: this.positions.slice(0, n), lengths: this.lengths.slice(0, n), bytes: this.bytes.slice(0, this.used) };
    this.subjectIds = [];
    this.used = 0;
    return { fingers, transfer: [fingers.positions.buffer, fingers.lengths.buffer, fingers.bytes.buffer] };
  }
}

/** The fingers of a packed batch one by one: the template a view into the batch's bytes. */
export function* unpacked(fingers: PackedFingers): Generator<{ subjectId: string; position: number; encoded: Uint8Array }> {
  let at = 0;
  for (let k = 0; k < fingers.subjectIds.length; k++) {
    const length = fingers.lengths[k];
    yield { subjectId: fingers.subjectIds[k], position: fingers.positions[k], encoded: fingers.bytes.subarray(at, at + length) };
    at += length;
  }
}
