import { between, type Random } from './random.ts';

/**
 * The outline of a fingertip as it would print if pressed flat: a half ellipse at the tip, fuller
 * (super-elliptic) sides towards the first joint, as in SFinGe's silhouette of four arcs. All in
 * pixels of the master image.
 */
export interface Silhouette {
  centreX: number;
  centreY: number;
  /** Half width of the finger. */
  halfWidth: number;
  /** Distance from the centre to the tip, and to the bottom edge of the print. */
  top: number;
  bottom: number;
}

export function drawSilhouette(random: Random, width: number, height: number): Silhouette {
  return {
    centreX: width / 2 + between(random, -0.02, 0.02) * width,
    centreY: height * between(random, 0.5, 0.54),
    halfWidth: width * between(random, 0.4, 0.46),
    top: height * between(random, 0.44, 0.48),
    bottom: height * between(random, 0.44, 0.47),
  };
}

/**
 * How far (x, y) lies inside the silhouette: < 1 inside, 1 on the outline, > 1 outside. A
 * normalised "radius" so that contact areas and rims can be expressed as fractions of it.
 */
export function silhouetteReach(s: Silhouette, x: number, y: number): number {
  const u = Math.abs(x - s.centreX) / s.halfWidth;
  if (y < s.centreY) {
    const v = (s.centreY - y) / s.top;
    return Math.sqrt(u * u + v * v);
  }
  const v = (y - s.centreY) / s.bottom;
  return Math.sqrt(Math.sqrt(u * u * u * u + v * v * v * v));
}
