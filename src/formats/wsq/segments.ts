import { ByteReader, wsqError } from './byte-io.ts';
import { Marker, markerName } from './markers.ts';

/** One marker segment of a WSQ stream: its marker, where the marker stands, where the segment ends, its body. */
export interface Segment {
  marker: number;
  markerAt: number;
  end: number;
  reader: ByteReader;
}

/**
 * The marker segment at `pos`, or undefined at the end of the stream (EOI). A broken marker or
 * length is refused here, with the WSQ_* error both the header reader and the decoder give for it.
 */
export function readSegment(bytes: Uint8Array, pos: number): Segment | undefined {
  if (pos + 2 > bytes.length) throw wsqError('WSQ_TRUNCATED', 'data ends before the EOI marker FFA1', pos);
  if (bytes[pos] !== 0xff) throw wsqError('WSQ_BAD_MARKER', `expected a marker, found byte 0x${bytes[pos].toString(16).padStart(2, '0')}`, pos);
  const marker = bytes[pos + 1];
  const markerAt = pos;
  if (marker === Marker.EOI) return undefined;
  if (marker < Marker.EOI || marker > Marker.COM || marker === Marker.SOI) throw wsqError('WSQ_BAD_MARKER', `unexpected marker ${markerName(marker)}`, markerAt);
  const lengthAt = pos + 2;
  if (lengthAt + 2 > bytes.length) throw wsqError('WSQ_TRUNCATED', `${markerName(marker)} segment has no length`, lengthAt);
  const segmentLength = (bytes[lengthAt] << 8) | bytes[lengthAt + 1];
  const end = lengthAt + segmentLength;
  if (segmentLength < 2) throw wsqError('WSQ_BAD_TABLE', `${markerName(marker)} segment declares length ${segmentLength}`, lengthAt);
  if (end > bytes.length) throw wsqError('WSQ_TRUNCATED', `${markerName(marker)} segment runs past the end of the data`, markerAt);
  return { marker, markerAt, end, reader: new ByteReader(bytes, lengthAt + 2, end, `${markerName(marker)} segment`) };
}
