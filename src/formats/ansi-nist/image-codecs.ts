import { decodeJpeg2000, jpeg2000ToGray, readJpeg2000Header } from '../jpeg2000/index.ts';
import { decodeWsq, readWsqHeader } from '../wsq/index.ts';

/**
 * A compressed image format an image record may carry, as the record decoder needs it: its header
 * read cheaply (to check the record's size before decoding), then the pixels as 8-bit grey.
 */
export interface ImageCodec {
  /** For messages: "WSQ", "JPEG 2000". */
  readonly name: string;
  /** The error code of a stream this codec cannot read. */
  readonly badStreamCode: string;
  readHeader(data: Uint8Array): { width: number; height: number; ppi?: number };
  decode(data: Uint8Array): { width: number; height: number; pixels: Uint8Array };
}

const WSQ: ImageCodec = { name: 'WSQ', badStreamCode: 'AN_BAD_WSQ', readHeader: readWsqHeader, decode: decodeWsq };

const JPEG_2000: ImageCodec = {
  name: 'JPEG 2000',
  badStreamCode: 'AN_BAD_JP2',
  // Only the size: JPEG 2000's own resolution boxes are optional and the record's scale is what counts.
  readHeader: (data) => {
    const { width, height } = readJpeg2000Header(data);
    return { width, height };
  },
  decode: (data) => {
    const decoded = decodeJpeg2000(data);
    return { width: decoded.width, height: decoded.height, pixels: jpeg2000ToGray(decoded) };
  },
};

/** Codecs by the compression label of 1-2011 (CGA text, or the GCA byte's label); WSQ is also written without "20". */
export const IMAGE_CODECS: Readonly<Record<string, ImageCodec>> = { WSQ20: WSQ, WSQ, JP2: JPEG_2000, JP2L: JPEG_2000 };
