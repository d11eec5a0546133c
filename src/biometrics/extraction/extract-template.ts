import { ConcordError } from '../../shared/errors.ts';
import { ENGINE_PPI, type GrayImage } from '../gray-image.ts';
import type { FingerprintTemplate, Minutia } from '../template.ts';
import { blockGrid } from './block-grid.ts';
import { normalizeContrast } from './normalization.ts';
import { gaussianBlur } from './gaussian-blur.ts';
import { computeOrientationField, type OrientationField } from './orientation-field.ts';
import { segmentForeground, type ForegroundMask } from './segmentation.ts';
import { estimateRidgePeriod } from './ridge-frequency.ts';
import { enhanceRidges } from './gabor-enhancement.ts';
import { thin } from './thinning.ts';
import { detectMinutiae } from './minutiae-detection.ts';
import { removeFalseMinutiae } from './minutiae-filters.ts';
import { impressionQuality } from './impression-quality.ts';
import { orientationMap } from './orientation-map.ts';
import { scratch } from './scratch-arrays.ts';

/** Everything the pipeline computed, for inspection and debugging. */
export interface ExtractionStages {
  normalized: Float32Array;
  orientation: OrientationField;
  mask: ForegroundMask;
  ridgePeriod: Float32Array;
  enhanced: Float32Array;
  binary: Uint8Array;
  skeleton: Uint8Array;
  valleySkeleton: Uint8Array;
}

/** Smallest print area worth a template: about 1 cm² at 500 ppi. */
const MIN_FOREGROUND_PIXELS = 120 * 120;
/** Minutiae closer than this to the print's edge are mostly artefacts of the edge itself. */
const BORDER_MARGIN = 12;
/** Where a minutia looks for the border: BORDER_MARGIN away in eight directions, 45° apart. */
const BORDER_REACH_X = Array.from({ length: 8 }, (_, k) => BORDER_MARGIN * Math.cos((k * Math.PI) / 4));
const BORDER_REACH_Y = Array.from({ length: 8 }, (_, k) => BORDER_MARGIN * Math.sin((k * Math.PI) / 4));
const MAX_MINUTIAE = 120;

/**
 * The generation of this extractor, stored beside each template it makes: templates of different
 * generations match each other less well, so stored ones of an older generation are made again
 * from their images. 1: bifurcations from the ridge skeleton; 2: from the valley skeleton; 3: a
 * narrower enhancement filter across the ridges (gabor-enhancement.ts); 4: the cluster filter's
 * radius in ridge periods of the print instead of 10 px (minutiae-filters.ts).
 */
export const EXTRACTOR_GENERATION = 4;

export function extractTemplate(image: GrayImage): FingerprintTemplate {
  return extractWithStages(image).template;
}

export function extractWithStages(image: GrayImage): { template: FingerprintTemplate; stages: ExtractionStages } {
  if (Math.abs(image.ppi - ENGINE_PPI) > 0.5) {
    throw new ConcordError('WRONG_RESOLUTION', `the extractor works at ${ENGINE_PPI} ppi; resample the ${image.ppi} ppi image first`);
  }
  const { width, height, pixels } = image;
  const grid = blockGrid(width, height);
  const normalized = normalizeContrast(pixels, width, height);
  // Orientation from a slightly blurred copy: pores and the dots of dry skin merge into ridges.
  const blurred = gaussianBlur(normalized, width, height, 1.5, scratch('blurred for orientation', Float32Array, pixels.length));
  const orientation = computeOrientationField(blurred, width, height, grid);
  const mask = segmentForeground(pixels, width, height, orientation);
  if (mask.foregroundBlocks * grid.size * grid.size < MIN_FOREGROUND_PIXELS) {
    throw new ConcordError('NO_RIDGE_AREA', 'no usable ridge area: the image shows too little of a fingerprint', {
      foregroundPixels: mask.foregroundBlocks * grid.size * grid.size,
    });
  }
  const ridgePeriod = estimateRidgePeriod(normalized, width, height, orientation, mask);
  const enhanced = enhanceRidges(normalized, width, height, orientation, ridgePeriod, mask);
  const binary = binaryWhere(enhanced, 1);
  const skeleton = thin(binary, width, height);

  const inMask = (x: number, y: number) =>
    x >= 0 && y >= 0 && x < width && y < height && mask.blocks[Math.floor(y / grid.size) * grid.columns + Math.floor(x / grid.size)] === 1;
  const awayFromBorder = (x: number, y: number) => {
    for (let k = 0; k < 8; k++) if (!inMask(Math.round(x + BORDER_REACH_X[k]), Math.round(y + BORDER_REACH_Y[k]))) return false;
    return true;
  };
  // Endings from the ridge skeleton, bifurcations from the valley skeleton: where ridges fork, a
  // valley ends. Each kind comes from the skeleton on which its false twins come in pairs of
  // facing ends that the gap filter removes: a ridge broken by dryness leaves two facing ridge
  // ends (and a false valley fork, unused); a bridge across a valley that wet skin filled in
  // leaves a false ridge fork (unused) and two facing valley ends.
  const valleySkeleton = thin(binaryWhere(enhanced, -1, scratch('valleys', Uint8Array, enhanced.length)), width, height);
  const period = printRidgePeriod(ridgePeriod, mask);
  const endingsOf = (lines: Uint8Array) => removeFalseMinutiae(detectMinutiae(lines, width, height, awayFromBorder), period).filter((m) => m.kind === 'ending');
  const raw = [...endingsOf(skeleton), ...endingsOf(valleySkeleton).map((m) => ({ ...m, kind: 'bifurcation' as const }))];

  const minutiae: Minutia[] = raw
    .map((m) => {
      const block = Math.floor(m.y / grid.size) * grid.columns + Math.floor(m.x / grid.size);
      return {
        x: m.x,
        y: m.y,
        // Image y runs down; template angles are counter-clockwise as seen (ISO), hence the sign.
        angle: normalizeAngle(-m.direction),
        type: m.kind,
        quality: Math.round(100 * Math.min(1, Math.max(0, orientation.coherence[block]))),
      };
    })
    .sort((a, b) => b.quality - a.quality)
    .slice(0, MAX_MINUTIAE);

  const template: FingerprintTemplate = {
    width,
    height,
    quality: impressionQuality(orientation, mask, minutiae.length),
    minutiae,
    orientation: orientationMap(orientation, mask),
  };
  return { template, stages: { normalized, orientation, mask, ridgePeriod, enhanced, binary, skeleton, valleySkeleton } };
}

/** The print's ridge period: the median over its blocks (one number, steadier than a block's own). */
function printRidgePeriod(ridgePeriod: Float32Array, mask: ForegroundMask): number {
  const periods: number[] = [];
  for (let b = 0; b < mask.blocks.length; b++) if (mask.blocks[b]) periods.push(ridgePeriod[b]);
  periods.sort((a, b) => a - b);
  return periods[periods.length >> 1];
}

/**
 * The ridges (sign 1) or the valleys (sign −1) of the enhanced print as a binary image, into `out`
 * when given; outside the print, where the enhanced image is 0, is neither.
 */
function binaryWhere(enhanced: Float32Array, sign: 1 | -1, out = new Uint8Array(enhanced.length)): Uint8Array {
  for (let i = 0; i < out.length; i++) out[i] = sign * enhanced[i] > 0 ? 1 : 0;
  return out;
}

function normalizeAngle(angle: number): number {
  const a = angle % (2 * Math.PI);
  return a < 0 ? a + 2 * Math.PI : a;
}
