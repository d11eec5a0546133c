export { decodeWsq, type DecodedWsq } from './decode-wsq.ts';
export { DEFAULT_BITRATE, encodeWsq, type WsqEncodeOptions, type WsqImage } from './encode-wsq.ts';
export { isWsq } from './markers.ts';
export { readWsqHeader, type WsqHeader } from './read-wsq-header.ts';
