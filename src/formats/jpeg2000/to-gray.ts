import type { DecodedJpeg2000 } from './openjpeg.ts';

/**
 * 8-bit grey pixels from a decoded image: deeper samples keep their top eight bits, colour
 * becomes its luma (ITU-R BT.601 weights), as a fingerprint or face extractor wants.
 */
export function jpeg2000ToGray(image: DecodedJpeg2000): Uint8Array {
  const { width, height, components, bitsPerSample, samples } = image;
  const count = width * height;
  const wide = bitsPerSample > 8;
  const shift = Math.max(0, bitsPerSample - 8);
  const sample = (index: number) => (wide ? (samples[2 * index] | (samples[2 * index + 1] << 8)) >> shift : samples[index]);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = components >= 3 ? Math.round(0.299 * sample(i * components) + 0.587 * sample(i * components + 1) + 0.114 * sample(i * components + 2)) : sample(i * components);
  }
  return out;
}
