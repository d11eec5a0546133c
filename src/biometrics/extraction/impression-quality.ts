import type { OrientationField } from './orientation-field.ts';
import type { ForegroundMask } from './segmentation.ts';

/**
 * Impression quality, 0–100, from what makes a print matchable: enough ridge area, clear ridges
 * (orientation coherence over the print) and enough usable minutiae. Concord refuses below 20.
 */
export function impressionQuality(field: OrientationField, mask: ForegroundMask, minutiaeCount: number): number {
  const blockArea = mask.grid.size * mask.grid.size;
  const area = Math.min(1, (mask.foregroundBlocks * blockArea) / (220 * 220));
  let coherence = 0;
  for (let b = 0; b < mask.blocks.length; b++) if (mask.blocks[b]) coherence += field.coherence[b];
  coherence = mask.foregroundBlocks > 0 ? coherence / mask.foregroundBlocks : 0;
  const clarity = Math.min(1, Math.max(0, (coherence - 0.25) / 0.45));
  const minutiae = Math.min(1, minutiaeCount / 30);
  return Math.round(100 * (0.3 * area + 0.45 * clarity + 0.25 * minutiae));
}
