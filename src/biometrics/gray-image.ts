/** An 8-bit grayscale raster, row-major, one byte per pixel, at a known resolution. */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
  /** Pixels per inch. The engine works at 500 ppi; other resolutions are resampled first. */
  readonly ppi: number;
}

/** The resolution every stage of the engine assumes. */
export const ENGINE_PPI = 500;
