/** JPEG 2000 (ISO/IEC 15444-1) images, as ANSI/NIST-ITL records carry them (JP2, JP2L). */
export { codestreamOf, isJp2File, jp2FileOf, readJpeg2000Header, type Jpeg2000Header } from './codestream.ts';
export { decodeJpeg2000, encodeJpeg2000, type DecodedJpeg2000, type Jpeg2000EncodeOptions } from './openjpeg.ts';
export { jpeg2000ToGray } from './to-gray.ts';
