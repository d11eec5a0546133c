import { ConcordError } from '../../shared/errors.ts';
import { ENGINE_PPI, type GrayImage } from '../gray-image.ts';
import { checkSeed, type MasterFingerprint } from './master-fingerprint.ts';
import { between, gaussian, seededRandom, valueNoise, type Random } from './random.ts';
import { blur121 } from './blur.ts';
import { silhouetteReach, type Silhouette } from './silhouette.ts';

/**
 * One impression of a master finger, as a sensor would capture it: the finger placed with its own
 * rotation and displacement; the skin dragged non-linearly around the contact (the plastic
 * distortion model of Cappelli, Maio and Maltoni: a rigid core where the finger first touches, a
 * transition ring, and an outer region that follows a small rigid drag); a partial, irregular
 * contact area; pressure and dryness thickening, thinning and breaking the ridges; sensor noise,
 * blur and a background. Rolled impressions cover the whole finger width and stretch more at the
 * sides.
 */
export interface ImpressionOptions {
  rolled?: boolean;
  /** How hard the capture is, effect by effect; CAPTURE_DIFFICULTY.clean when left out. */
  capture?: CaptureVariation;
}

/**
 * The strength of each capture effect, 1 as the generator has always drawn it, 0 for none
 * (scars: 1 is a few). Each multiplies the spread of its random draw, so a stronger effect makes
 * the bad captures of a set worse and more frequent, as real sets have them.
 */
export interface CaptureVariation {
  /** Rotation of the finger on the sensor. */
  rotation: number;
  /** Off-centre placement, of the finger and of its contact area. */
  displacement: number;
  /** Elastic distortion: the drag and twist of the skin outside the first contact. */
  distortion: number;
  /** Partial contact: an exponent on the share of the finger that touches (0.8–1 at 1). */
  partial: number;
  /** Pressure: heavy (merged, thick ridges, as of wet fingers) or light (thin, broken). */
  pressure: number;
  /** Dryness: dry patches and breaks across the ridges. */
  dryness: number;
  /** Sensor noise. */
  noise: number;
  /** Scars and creases: light lines across the ridges, a few per impression at 1. */
  scars: number;
}

/**
 * Named difficulties. `clean` is the generator as before (the demo's prints); `realistic`
 * captures as varied as those of the FVC sets, for measuring the engine on synthetic sets.
 */
export const CAPTURE_DIFFICULTY = {
  clean: { rotation: 1, displacement: 1, distortion: 1, partial: 1, pressure: 1, dryness: 1, noise: 1, scars: 0 },
  realistic: { rotation: 1.6, displacement: 1.6, distortion: 1.8, partial: 2.5, pressure: 1.5, dryness: 1.6, noise: 2, scars: 1 },
} as const satisfies Record<string, CaptureVariation>;

export type CaptureDifficulty = keyof typeof CAPTURE_DIFFICULTY;

interface Placement {
  cos: number;
  sin: number;
  dx: number;
  dy: number;
}

interface Contact {
  x: number;
  y: number;
  radiusX: number;
  radiusY: number;
  /** Harmonics of the contact outline, so footprints are not perfect ellipses. */
  wobble: { amplitude: number; frequency: number; phase: number }[];
}

interface Distortion {
  /** The drag of the outer skin: rotation (cos, sin) about the contact centre plus a shift. */
  cos: number;
  sin: number;
  shiftX: number;
  shiftY: number;
  /** Inside this contact reach the skin does not move; beyond `full` it follows the drag fully. */
  rigid: number;
  full: number;
  /** Rolling: sideways stretch growing with the cube of the distance from the finger's axis. */
  roll: number;
}

export function renderImpression(master: MasterFingerprint, impressionSeed: number, options: ImpressionOptions = {}): GrayImage {
  checkSeed(impressionSeed, 'impressionSeed');
  if (!master || !(master.ridges instanceof Float32Array) || master.ridges.length !== master.width * master.height) {
    throw new ConcordError('BAD_ARGUMENT', 'renderImpression needs a master made by generateMaster', { field: 'master' });
  }
  const random = seededRandom(impressionSeed ^ Math.imul(master.seed, 0x9e3779b1));
  const { width, height, silhouette } = master;
  const rolled = options.rolled ?? false;
  const capture = options.capture ?? CAPTURE_DIFFICULTY.clean;
  checkCapture(capture);

  const placement = drawPlacement(random, rolled, capture);
  const contact = drawContact(random, silhouette, rolled, capture);
  const distortion = drawDistortion(random, rolled, capture);

  // Pressure > 0: heavy, thick merged ridges; < 0: light or dry, thin and broken ridges.
  const pressure = clamp(gaussian(random) * 0.22 * capture.pressure, -0.45 * capture.pressure, 0.45 * capture.pressure);
  const dryness = between(random, 0.1, 0.55) * capture.dryness + (pressure < 0 ? -pressure : 0);
  const contrast = between(random, 200, 250);
  const background = between(random, 236, 254);
  const noiseLevel = between(random, 2, 7) * capture.noise;
  // Scars draw from a stream of their own, so that impressions without them stay as they were.
  const scars = capture.scars > 0 ? drawScars(seededRandom(impressionSeed ^ Math.imul(master.seed, 0x85ebca6b) ^ 0x5ca5), capture.scars, width, height) : [];
  // Skin texture at several scales: dry or greasy patches, breaks across ridges, rough ridge
  // edges, and sweat pores (small holes along the ridges).
  const patchy = valueNoise(random, width, height, 48);
  const shade = valueNoise(random, width, height, 64);
  const breaks = valueNoise(random, width, height, 4 + random() * 2);
  const grain = valueNoise(random, width, height, 2.2);
  const pores = valueNoise(random, width, height, 3.4);
  const roughness = between(random, 0.2, 0.5);
  const poreLevel = between(random, 0.62, 0.8);

  const ink = new Float32Array(width * height);
  const centreX = width / 2;
  const centreY = height / 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Image pixel → point of the finger: undo the placement, then the skin distortion.
      const ux = x - centreX - placement.dx;
      const uy = y - centreY - placement.dy;
      const px = centreX + ux * placement.cos + uy * placement.sin;
      const py = centreY - ux * placement.sin + uy * placement.cos;
      const contactReach = reachOf(contact, px, py);
      if (contactReach >= 1) continue;
      const [fx, fy] = undistort(distortion, contact, silhouette, px, py, contactReach);
      const skin = silhouetteReach(silhouette, fx, fy);
      if (skin >= 1) continue;
      const i = y * width + x;
      const ridge = sample(master.ridges, width, height, fx, fy);
      // The ridge threshold: pressure shifts it, dry patches and pores raise it locally, and the
      // skin presses less towards the rim of the contact.
      const rim = contactReach * contactReach * contactReach;
      let threshold = -pressure + 0.25 * dryness * patchy[i] + 0.6 * rim + roughness * grain[i];
      const crack = breaks[i] - 0.5;
      if (crack > 0) threshold += dryness * crack * 4;
      if (pores[i] > poreLevel) threshold += 1.5;
      for (const scar of scars) threshold += scarDepth(scar, x, y);
      const darkness = 1 - 0.15 * (shade[i] + 1) * (0.5 + dryness);
      ink[i] = clamp((ridge - threshold) * 1.4 + 0.5, 0, 1) * darkness * clamp((1 - contactReach + 0.05 * patchy[i]) * 8, 0, 1);
    }
  }

  const smoothed = blur121(ink, width, height);
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    const gray = background - contrast * smoothed[i] + gaussian(random) * noiseLevel;
    pixels[i] = gray < 0 ? 0 : gray > 255 ? 255 : Math.round(gray);
  }
  return { width, height, pixels, ppi: ENGINE_PPI };
}

function drawPlacement(random: Random, rolled: boolean, capture: CaptureVariation): Placement {
  // Mostly small rotations; now and then a large one, never beyond ±30° (at strength 1).
  const spread = (random() < 0.85 ? 0.1 : 0.3) * capture.rotation;
  const limit = (Math.PI / 6) * Math.max(1, capture.rotation);
  const rotation = clamp(gaussian(random) * spread, -limit, limit) * (rolled ? 0.5 : 1);
  const shift = 12 * capture.displacement;
  return { cos: Math.cos(rotation), sin: Math.sin(rotation), dx: gaussian(random) * shift, dy: gaussian(random) * shift };
}

function drawContact(random: Random, s: Silhouette, rolled: boolean, capture: CaptureVariation): Contact {
  const wobble = Array.from({ length: 3 }, (_, k) => ({ amplitude: between(random, 0, 0.06), frequency: k + 2, phase: between(random, 0, 2 * Math.PI) }));
  if (rolled) {
    return { x: s.centreX, y: s.centreY - 0.1 * s.top, radiusX: s.halfWidth * 1.15, radiusY: s.top * between(random, 1.0, 1.1), wobble };
  }
  const off = 0.12 * capture.displacement;
  return {
    x: s.centreX + gaussian(random) * off * s.halfWidth,
    y: s.centreY + (gaussian(random) * off - 0.05) * s.top,
    radiusX: s.halfWidth * between(random, 0.8, 1.0) ** capture.partial,
    radiusY: s.top * between(random, 0.8, 1.0) ** capture.partial,
    wobble,
  };
}

function drawDistortion(random: Random, rolled: boolean, capture: CaptureVariation): Distortion {
  const angle = gaussian(random) * 0.04 * capture.distortion;
  const drag = between(random, 2, rolled ? 12 : 9) * capture.distortion;
  const direction = between(random, 0, 2 * Math.PI);
  return {
    cos: Math.cos(angle),
    sin: Math.sin(angle),
    shiftX: drag * Math.cos(direction),
    shiftY: drag * Math.sin(direction),
    rigid: between(random, 0.2, 0.4),
    full: between(random, 0.85, 1.05),
    roll: rolled ? between(random, 0.06, 0.14) : 0,
  };
}

/** A scar or crease: a light line across the ridges, deepest on its axis. */
interface Scar {
  x: number;
  y: number;
  cos: number;
  sin: number;
  halfLength: number;
  halfWidth: number;
  depth: number;
}

/** On average `strength` × 2 scars and creases, of random place, direction, length and width. */
function drawScars(random: Random, strength: number, width: number, height: number): Scar[] {
  const scars: Scar[] = [];
  const count = Math.floor(random() * (4 * strength + 1));
  for (let k = 0; k < count; k++) {
    const angle = between(random, 0, Math.PI);
    scars.push({
      x: between(random, 0.2, 0.8) * width,
      y: between(random, 0.2, 0.8) * height,
      cos: Math.cos(angle),
      sin: Math.sin(angle),
      halfLength: between(random, 20, 90),
      halfWidth: between(random, 1.5, 4),
      depth: between(random, 0.8, 2),
    });
  }
  return scars;
}

/** How much a scar raises the ridge threshold at (x, y): full on its axis, none beyond its width or ends. */
function scarDepth(scar: Scar, x: number, y: number): number {
  const along = (x - scar.x) * scar.cos + (y - scar.y) * scar.sin;
  if (along > scar.halfLength || along < -scar.halfLength) return 0;
  const across = Math.abs(-(x - scar.x) * scar.sin + (y - scar.y) * scar.cos);
  return across >= scar.halfWidth ? 0 : scar.depth * (1 - across / scar.halfWidth);
}

function checkCapture(capture: CaptureVariation): void {
  for (const [effect, strength] of Object.entries(capture)) {
    if (!(Number.isFinite(strength) && strength >= 0 && strength <= 5)) {
      throw new ConcordError('BAD_ARGUMENT', `capture strength ${effect} must be a number from 0 to 5, got ${strength}`, { field: `capture.${effect}` });
    }
  }
}

/** Normalised distance from the contact centre: < 1 inside the (wobbly) footprint. */
function reachOf(c: Contact, x: number, y: number): number {
  const ex = (x - c.x) / c.radiusX;
  const ey = (y - c.y) / c.radiusY;
  const r = Math.sqrt(ex * ex + ey * ey);
  if (r === 0) return 0;
  const theta = Math.atan2(ey, ex);
  let scale = 1;
  for (const w of c.wobble) scale += w.amplitude * Math.sin(w.frequency * theta + w.phase);
  return r / scale;
}

/**
 * Where the skin at image point (x, y) came from on the master. The displacement is small and
 * smooth, so subtracting it as evaluated at (x, y) is an adequate inverse.
 */
function undistort(d: Distortion, c: Contact, s: Silhouette, x: number, y: number, reach: number): [number, number] {
  const t = reach <= d.rigid ? 0 : reach >= d.full ? 1 : (reach - d.rigid) / (d.full - d.rigid);
  const weight = 0.5 - 0.5 * Math.cos(Math.PI * t);
  const rx = x - c.x;
  const ry = y - c.y;
  let mx = (c.x + rx * d.cos - ry * d.sin + d.shiftX - x) * weight;
  const my = (c.y + rx * d.sin + ry * d.cos + d.shiftY - y) * weight;
  if (d.roll > 0) {
    const u = (x - s.centreX) / s.halfWidth;
    mx += d.roll * s.halfWidth * u * u * u;
  }
  return [x - mx, y - my];
}

function sample(values: Float32Array, width: number, height: number, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= width - 1 || y >= height - 1) return 0;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  const i = y0 * width + x0;
  return (values[i] * (1 - tx) + values[i + 1] * tx) * (1 - ty) + (values[i + width] * (1 - tx) + values[i + width + 1] * tx) * ty;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}
