import { ConcordError } from '../../shared/errors.ts';

const SOI = 0xa0;
const SOF = 0xa2;
const SOB = 0xa3;
const EOI = 0xa1;

/**
 * Reads width and height from a WSQ stream's frame header (FBI WSQ spec: SOI FFA0, then
 * marker segments each with a 2-byte length, the frame header FFA2 giving black, white, height,
 * width). Enough to describe a WSQ file in a record without decoding it.
 */
export function readWsqFrame(bytes: Uint8Array): { width: number; height: number } {
  const fail = (message: string, offset: number) => new ConcordError('AN_BAD_WSQ', `WSQ stream: ${message}`, { offset });
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== SOI) throw fail('does not start with the SOI marker FFA0', 0);
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) throw fail(`expected a marker, found 0x${bytes[pos].toString(16)}`, pos);
    const marker = bytes[pos + 1];
    if (marker === SOB || marker === EOI) break;
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (length < 2 || pos + 2 + length > bytes.length) throw fail(`segment FF${marker.toString(16).toUpperCase()} runs past the end`, pos);
    if (marker === SOF) {
      if (length < 8) throw fail('frame header too short', pos);
      const height = (bytes[pos + 6] << 8) | bytes[pos + 7];
      const width = (bytes[pos + 8] << 8) | bytes[pos + 9];
      if (width === 0 || height === 0) throw fail('frame header gives an empty image', pos);
      return { width, height };
    }
    pos += 2 + length;
  }
  throw fail('no frame header (FFA2) before the image data', pos);
}
