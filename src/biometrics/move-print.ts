import { NO_RIDGES, type Minutia, type OrientationMap } from './template.ts';

/**
 * A rigid motion of a print, as test and benchmark copies of templates apply it: about the centre
 * (cx, cy), turned by `rotation` radians counter-clockwise as seen (as minutia angles turn), then
 * moved by (dx, dy): a point goes to (cx + u·cos + v·sin + dx, cy − u·sin + v·cos + dy) for
 * (u, v) = (x − cx, y − cy).
 */
export interface PrintMotion {
  cx: number;
  cy: number;
  rotation: number;
  dx: number;
  dy: number;
}

/** A minutia of the moved print. */
export function moveMinutia(minutia: Minutia, { cx, cy, rotation, dx, dy }: PrintMotion): Minutia {
  const u = minutia.x - cx;
  const v = minutia.y - cy;
  return {
    ...minutia,
    x: cx + u * Math.cos(rotation) + v * Math.sin(rotation) + dx,
    y: cy - u * Math.sin(rotation) + v * Math.cos(rotation) + dy,
    angle: (minutia.angle + rotation + 2 * Math.PI) % (2 * Math.PI),
  };
}

/** The orientation map of the moved print: each block reads the original block it came from. */
export function moveOrientationMap(map: OrientationMap, { cx, cy, rotation, dx, dy }: PrintMotion): OrientationMap {
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);
  // Map angles are in image coordinates (y down), which turn the other way from minutia angles.
  const turn = Math.round((rotation * 180) / Math.PI);
  const angles = new Uint8Array(map.columns * map.rows).fill(NO_RIDGES);
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.columns; c++) {
      const u = (c + 0.5) * map.blockSize - dx - cx;
      const v = (r + 0.5) * map.blockSize - dy - cy;
      const column = Math.floor((cx + u * cos - v * sin) / map.blockSize);
      const row = Math.floor((cy + u * sin + v * cos) / map.blockSize);
      if (column < 0 || row < 0 || column >= map.columns || row >= map.rows) continue;
      const original = map.angles[row * map.columns + column];
      if (original !== NO_RIDGES) angles[r * map.columns + c] = (((original - turn) % 180) + 180) % 180;
    }
  }
  return { ...map, angles };
}
