/** Text fields are 7-bit ASCII; these convert without a decoder object and without copying bytes. */

const CHUNK = 8192;

export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= CHUNK) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  let text = '';
  for (let at = start; at < end; at += CHUNK) {
    text += String.fromCharCode.apply(null, bytes.subarray(at, Math.min(end, at + CHUNK)) as unknown as number[]);
  }
  return text;
}

/** Index of the first byte of text that is not 7-bit ASCII, or -1. */
export function firstNonAscii(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return i;
  return -1;
}
