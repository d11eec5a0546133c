import { ConcordError } from '../../shared/errors.ts';

export function wsqError(code: string, message: string, offset: number, extra: Record<string, string | number> = {}): ConcordError {
  return new ConcordError(code, `WSQ: ${message}`, { format: 'wsq', offset, ...extra });
}

/**
 * Big-endian reads confined to [pos, end): reading past `end` throws `code` naming the segment,
 * so a segment whose declared length is too short cannot make the parser wander into the next one.
 */
export class ByteReader {
  pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
    private readonly what: string,
    private readonly code = 'WSQ_BAD_TABLE',
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) {
      throw wsqError(this.code, `${this.what} ends after ${this.end - this.pos} more byte(s) where ${n} are needed`, this.pos);
    }
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u16(): number {
    this.need(2);
    const value = (this.bytes[this.pos] << 8) | this.bytes[this.pos + 1];
    this.pos += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const b = this.bytes;
    const value = b[this.pos] * 0x1000000 + ((b[this.pos + 1] << 16) | (b[this.pos + 2] << 8) | b[this.pos + 3]);
    this.pos += 4;
    return value;
  }

  /** A value stored as a decimal exponent byte then an unsigned integer: integer / 10^exponent. */
  scaled16(): number {
    const exponent = this.u8();
    return this.u16() / 10 ** exponent;
  }

  bytesUpTo(n: number): Uint8Array {
    this.need(n);
    const slice = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return slice;
  }
}

/** A growable big-endian byte buffer. */
export class ByteWriter {
  private buffer = new Uint8Array(4096);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value & 0xff;
  }

  u16(value: number): void {
    this.reserve(2);
    this.buffer[this.length++] = (value >>> 8) & 0xff;
    this.buffer[this.length++] = value & 0xff;
  }

  u32(value: number): void {
    this.u16(Math.floor(value / 0x10000));
    this.u16(value % 0x10000);
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length);
    this.length += data.length;
  }

  /** Overwrites a 16-bit value already written (segment lengths known only afterwards). */
  patch16(at: number, value: number): void {
    this.buffer[at] = (value >>> 8) & 0xff;
    this.buffer[at + 1] = value & 0xff;
  }

  toBytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

/**
 * Chooses the largest decimal exponent that keeps round(|value|·10^e) within `maxInteger`, the
 * spec's way of storing a real number in a fixed-size integer with the most precision.
 */
export function toScaled(value: number, maxInteger: number): { exponent: number; integer: number } {
  const magnitude = Math.abs(value);
  if (magnitude === 0 || !Number.isFinite(magnitude)) return { exponent: 0, integer: 0 };
  if (Math.round(magnitude) > maxInteger) return { exponent: 0, integer: maxInteger };
  let exponent = 0;
  while (exponent < 40 && Math.round(magnitude * 10 ** (exponent + 1)) <= maxInteger) exponent++;
  return { exponent, integer: Math.round(magnitude * 10 ** exponent) };
}
