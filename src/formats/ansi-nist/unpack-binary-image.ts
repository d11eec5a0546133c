/**
 * Unpacks the 1-bit images of Types 5 and 6 (uncompressed, eight pixels a byte, most significant
 * bit first, each row starting on a byte) into 8-bit grey: a set bit is a black ridge pixel (0),
 * a clear one white (255). Returns undefined when the byte count does not fit the size.
 */
export function unpackBinaryImage(data: Uint8Array, width: number, height: number): Uint8Array | undefined {
  const rowBytes = Math.ceil(width / 8);
  if (rowBytes * height !== data.length) return undefined;
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = (data[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
      pixels[y * width + x] = bit === 1 ? 0 : 255;
    }
  }
  return pixels;
}
