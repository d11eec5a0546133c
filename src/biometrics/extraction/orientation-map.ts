import { NO_RIDGES, type OrientationMap } from '../template.ts';
import type { OrientationField } from './orientation-field.ts';
import type { ForegroundMask } from './segmentation.ts';

/** Blocks of the kept map, in pixels: two of the extractor's blocks, about two ridge periods. */
const MAP_BLOCK = 16;

/**
 * The orientation field kept in the template, for the matcher to check that two prints' ridges
 * flow alike where a pairing overlays them. Each map block averages (as doubled angles) the
 * field's blocks under it (fewer at the image's right and bottom edges), and counts as print only
 * when most of them are print.
 */
export function orientationMap(field: OrientationField, mask: ForegroundMask): OrientationMap {
  const { grid } = field;
  const per = MAP_BLOCK / grid.size;
  const columns = Math.ceil(grid.columns / per);
  const rows = Math.ceil(grid.rows / per);
  const angles = new Uint8Array(columns * rows).fill(NO_RIDGES);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      let sx = 0;
      let sy = 0;
      let print = 0;
      let present = 0;
      for (let by = r * per; by < Math.min(grid.rows, (r + 1) * per); by++) {
        for (let bx = c * per; bx < Math.min(grid.columns, (c + 1) * per); bx++) {
          const b = by * grid.columns + bx;
          present++;
          if (!mask.blocks[b]) continue;
          sx += Math.cos(2 * field.angle[b]);
          sy += Math.sin(2 * field.angle[b]);
          print++;
        }
      }
      if (print * 2 <= present) continue;
      const degrees = Math.round(((Math.atan2(sy, sx) / 2) * 180) / Math.PI);
      angles[r * columns + c] = (degrees + 180) % 180;
    }
  }
  return { blockSize: MAP_BLOCK, columns, rows, angles };
}
