/**
 * The fingerprint template: what the engine extracts from an image and what the matcher compares.
 *
 * Coordinates are pixels at 500 ppi, origin at the top-left corner, x to the right, y down
 * (as in ISO/IEC 19794-2). Angles are radians in [0, 2π), counter-clockwise as seen on the image
 * from the positive x axis, so a minutia's direction vector in pixel coordinates is
 * (cos θ, −sin θ). For a ridge ending the direction points from the ending back along its ridge;
 * for a bifurcation it points from the fork into the valley between the two branches
 * (the ISO/IEC 19794-2 and INCITS 378 convention).
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
}

/** ANSI/NIST finger position codes: 0 unknown, 1–5 right thumb..little, 6–10 left thumb..little. */
export type FingerPosition = number;
