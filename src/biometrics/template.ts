/**
 * The fingerprint template: what the engine extracts from an image and what the matcher compares.
 *
 * Coordinates are pixels at 500 ppi, origin at the top-left corner, x to the right, y down
 * (as in ISO/IEC 19794-2). Angles are radians in [0, 2π), counter-clockwise as seen on the image
 * from the positive x axis, so a minutia's direction vector in pixel coordinates is
 * (cos θ, −sin θ). For a ridge ending the direction points from the ending back along its ridge;
 * for a bifurcation it points from the fork into the valley between the two branches
 * (the ISO/IEC 19794-2 and INCITS 378 convention).
 *
 * Those standards place a ridge ending where the valley skeleton forks around it and a
 * bifurcation where the ridge skeleton forks. This engine's extractor places each a few pixels
 * along from there, where the ridge skeleton ends and where the valley skeleton between the two
 * branches ends (see extract-template.ts for why); positions it exports are its own.
 */
export type MinutiaType = 'ending' | 'bifurcation' | 'other';

export interface Minutia {
  readonly x: number;
  readonly y: number;
  readonly angle: number;
  readonly type: MinutiaType;
  /** 0–100, the extractor's confidence in this minutia. */
  readonly quality: number;
}

export interface FingerprintTemplate {
  /** Width and height of the (500 ppi) image the minutiae were found in. */
  readonly width: number;
  readonly height: number;
  /** 0–100 impression quality (foreground, ridge clarity, usable minutiae). */
  readonly quality: number;
  readonly minutiae: readonly Minutia[];
  /** The print's ridge flow, where the extractor kept it (ISO/IEC 19794-2 records carry none). */
  readonly orientation?: OrientationMap;
}

/**
 * Ridge orientation on a coarse grid: block (c, r) covers pixels [c·blockSize, (c+1)·blockSize) ×
 * [r·blockSize, (r+1)·blockSize); its ridges run along (cos θ, sin θ) in image coordinates (y down),
 * θ = angles[r·columns + c] degrees in [0, 180), or NO_RIDGES where the block is not print.
 */
export interface OrientationMap {
  readonly blockSize: number;
  readonly columns: number;
  readonly rows: number;
  readonly angles: Uint8Array;
}

export const NO_RIDGES = 255;

/** ANSI/NIST finger position codes: 0 unknown, 1–5 right thumb..little, 6–10 left thumb..little. */
export type FingerPosition = number;
