import { NO_RIDGES, type FingerprintTemplate, type Minutia, type OrientationMap } from '../template.ts';
import { drawClass, drawOrientationModel, orientationAt } from '../synthetic/orientation-model.ts';
import { between, gaussian, seededRandom } from '../synthetic/random.ts';
import { drawSilhouette, silhouetteReach } from '../synthetic/silhouette.ts';

/**
 * One finger of a synthetic population, made at template level: the synthetic generator's finger
 * (class, silhouette, singular points and its ridge flow) without growing and rendering ridges,
 * which costs seconds a print. Minutiae are laid out as an extractor finds them in a plain
 * impression of that finger: a count and a spacing drawn like those of real prints, each
 * minutia turned along the ridge flow where it lies. A million such fingers take minutes, and
 * no two are alike: each seed is a finger of its own.
 */

/** Capture frames of plain impressions at 500 ppi (those of the FVC sets' sensors). */
const FRAMES: readonly (readonly [number, number])[] = [
  [388, 374],
  [260, 492],
  [640, 480],
  [293, 469],
];
/** Orientation map block, as the extractor keeps it. */
const BLOCK = 16;
/** Minutiae an extractor finds in a plain impression: about normal, clipped to what real templates show. */
const COUNT_MEAN = 41;
const COUNT_SPREAD = 12;
const COUNT_MIN = 12;
const COUNT_MAX = 90;
/** Two minutiae closer than this are one the extractor keeps (ridges are ~9 px apart). */
const HARD_CORE = 8;
/** How much an extracted direction strays from the ridge flow (radians, one standard deviation). */
const DIRECTION_NOISE = 0.12;
/** Share of bifurcations among the minutiae found (the FVC sets give 0.41–0.61). */
const BIFURCATION_SHARE = 0.5;

export function populationTemplate(seed: number): FingerprintTemplate {
  const random = seededRandom(seed);
  const [width, height] = FRAMES[Math.floor(random() * FRAMES.length)];
  // The finger is larger than a plain impression's contact area and seldom centred on the sensor.
  const silhouette = drawSilhouette(random, width * between(random, 0.85, 1.1), height * between(random, 0.9, 1.15));
  silhouette.centreX += between(random, -0.08, 0.08) * width + (width - 2 * silhouette.centreX) / 2;
  silhouette.centreY += between(random, -0.08, 0.08) * height + (height - 2 * silhouette.centreY) / 2;
  const model = drawOrientationModel(drawClass(random), silhouette, random);

  const columns = Math.floor(width / BLOCK);
  const rows = Math.floor(height / BLOCK);
  const angles = new Uint8Array(columns * rows).fill(NO_RIDGES);
  let printBlocks = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns; c++) {
      const x = (c + 0.5) * BLOCK;
      const y = (r + 0.5) * BLOCK;
      if (silhouetteReach(silhouette, x, y) >= 0.95) continue;
      angles[r * columns + c] = Math.floor((orientationAt(model, silhouette, x, y) * 180) / Math.PI) % 180;
      printBlocks++;
    }
  }
  const orientation: OrientationMap = { blockSize: BLOCK, columns, rows, angles };

  const wanted = Math.round(Math.min(COUNT_MAX, Math.max(COUNT_MIN, COUNT_MEAN + COUNT_SPREAD * gaussian(random))));
  const minutiae: Minutia[] = [];
  // Minutiae lie inside the print, away from its rim where the extractor drops them.
  for (let attempt = 0; minutiae.length < wanted && attempt < wanted * 40 && printBlocks > 0; attempt++) {
    const x = 8 + random() * (width - 16);
    const y = 8 + random() * (height - 16);
    if (silhouetteReach(silhouette, x, y) >= 0.85) continue;
    if (minutiae.some((m) => Math.abs(m.x - x) < HARD_CORE && Math.hypot(m.x - x, m.y - y) < HARD_CORE)) continue;
    // Ridge flow φ runs along (cos φ, sin φ) with y down; a minutia's direction is (cos θ, −sin θ).
    const flow = orientationAt(model, silhouette, x, y);
    const along = -flow + (random() < 0.5 ? 0 : Math.PI) + DIRECTION_NOISE * gaussian(random);
    minutiae.push({
      x: Math.round(x),
      y: Math.round(y),
      angle: ((along % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI),
      type: random() < BIFURCATION_SHARE ? 'bifurcation' : 'ending',
      quality: Math.round(between(random, 40, 100)),
    });
  }
  return { width, height, quality: Math.round(between(random, 45, 95)), minutiae, orientation };
}
