import type { GrayImage } from '../../biometrics/gray-image.ts';
import type { WsqDecoder } from './image-records.ts';

export type WsqEncoder = (image: GrayImage, options: { bitrate: number }) => Uint8Array;

export interface WsqCodec {
  readonly decodeWsq?: WsqDecoder;
  readonly encodeWsq?: WsqEncoder;
}

/** Where the WSQ codec (src/formats/wsq, written separately) may export decodeWsq/encodeWsq. */
const CANDIDATE_MODULES = ['../wsq/index.ts', '../wsq/wsq.ts', '../wsq/decode-wsq.ts', '../wsq/encode-wsq.ts', '../wsq/wsq-codec.ts'];

/**
 * Finds the WSQ codec at run time. The image-record code takes the decoder as a parameter, so
 * it works (raw images) and type-checks whether or not the codec is in the tree; the edges —
 * CLI, benchmark — call this to pass the real one in. Missing functions stay undefined.
 */
export async function loadWsqCodec(): Promise<WsqCodec> {
  let decodeWsq: WsqDecoder | undefined;
  let encodeWsq: WsqEncoder | undefined;
  for (const candidate of CANDIDATE_MODULES) {
    let loaded: Record<string, unknown>;
    try {
      loaded = (await import(new URL(candidate, import.meta.url).href)) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (!decodeWsq && typeof loaded.decodeWsq === 'function') decodeWsq = loaded.decodeWsq as WsqDecoder;
    if (!encodeWsq && typeof loaded.encodeWsq === 'function') encodeWsq = loaded.encodeWsq as WsqEncoder;
    if (decodeWsq && encodeWsq) break;
  }
  return { decodeWsq, encodeWsq };
}
