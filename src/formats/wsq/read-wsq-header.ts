import { wsqError } from './byte-io.ts';
import { Marker } from './markers.ts';
import { readSegment } from './segments.ts';
import { ppiFromComment, readFrameHeader } from './tables.ts';

/** What a WSQ stream says about its image, read without decoding any of it. */
export interface WsqHeader {
  width: number;
  height: number;
  /** Resolution from the first NIST comment that gives one, as the decoder reads it. */
  ppi?: number;
}

export const MAX_SIDE = 20_000;
/**
 * A WSQ file cannot honestly describe more pixels than this many per byte of file: even a blank
 * image costs a few bits per run of 65 535 zeros, and real fingerprints run near 1 bit per pixel.
 * Bounding it keeps a tiny forged header from allocating gigabytes.
 */
const MAX_PIXELS_PER_FILE_BYTE = 1000;
const ALWAYS_ALLOWED_PIXELS = 4_000_000;

/**
 * The frame size (SOF) and resolution (NIST comment) of a WSQ stream, so that a caller can refuse
 * an image by its size before anything is allocated for it or decoded. Walks the marker segments
 * and steps over entropy-coded data without decoding it; stops once both are known. A stream
 * whose segments are broken gets the WSQ_* error the decoder would give.
 */
export function readWsqHeader(bytes: Uint8Array): WsqHeader {
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== Marker.SOI) {
    throw wsqError(bytes.length < 2 ? 'WSQ_TRUNCATED' : 'WSQ_BAD_MARKER', 'data does not start with the SOI marker FFA0', 0);
  }
  let frame: { width: number; height: number } | undefined;
  let ppi: number | undefined;
  let pos = 2;
  while (frame === undefined || ppi === undefined) {
    const segment = readSegment(bytes, pos);
    if (!segment) {
      pos += 2;
      break;
    }
    const { marker, markerAt, end, reader: r } = segment;
    if (marker === Marker.SOF) {
      if (frame) throw wsqError('WSQ_BAD_MARKER', 'second frame header (SOF)', markerAt);
      const { width, height } = readFrameHeader(r);
      checkFrameSize(width, height, bytes.length, markerAt);
      frame = { width, height };
    } else if (marker === Marker.COM) {
      ppi ??= ppiFromComment(Buffer.from(r.bytesUpTo(r.remaining)).toString('latin1'));
    } else if (marker === Marker.SOB) {
      pos = nextMarker(bytes, end);
      continue;
    }
    pos = end;
  }
  if (!frame) throw wsqError('WSQ_BAD_MARKER', 'no frame header (SOF) before EOI', pos - 2);
  return ppi === undefined ? frame : { ...frame, ppi };
}

/** Refuses a frame no WSQ image of this file's size can be, before anything is allocated for it. */
export function checkFrameSize(width: number, height: number, fileLength: number, at: number): void {
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw wsqError('WSQ_DIMENSIONS', `frame header gives ${width}×${height} pixels; each side must be 1–${MAX_SIDE}`, at, { width, height });
  }
  const allowed = Math.max(ALWAYS_ALLOWED_PIXELS, fileLength * MAX_PIXELS_PER_FILE_BYTE);
  if (width * height > allowed) {
    throw wsqError('WSQ_DIMENSIONS', `frame header gives ${width}×${height} pixels, far more than ${fileLength} bytes can encode`, at, { width, height });
  }
}

/** Where the entropy-coded data that starts at `start` ends: the next FF not followed by a stuffed 00. */
function nextMarker(bytes: Uint8Array, start: number): number {
  for (let i = bytes.indexOf(0xff, start); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(0xff, i + 1)) {
    if (bytes[i + 1] !== 0) return i;
    i++;
  }
  throw wsqError('WSQ_TRUNCATED', 'entropy-coded data runs to the end of the file without a closing marker', bytes.length);
}
