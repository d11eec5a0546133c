/** WSQ marker codes (the byte after 0xFF), FBI WSQ spec v3.1 Table 1. */
export const Marker = {
  SOI: 0xa0, // start of image
  EOI: 0xa1, // end of image
  SOF: 0xa2, // start of frame
  SOB: 0xa3, // start of block
  DTT: 0xa4, // define transform table
  DQT: 0xa5, // define quantization table
  DHT: 0xa6, // define Huffman table(s)
  DRT: 0xa7, // define restart interval
  COM: 0xa8, // comment
} as const;

const NAMES = new Map<number, string>(Object.entries(Marker).map(([name, code]) => [code, name]));

export function markerName(code: number): string {
  return NAMES.get(code) ?? `FF${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A WSQ stream starts with the SOI marker FF A0. */
export function isWsq(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === Marker.SOI;
}
