import type { GrayImage } from '../gray-image.ts';
import type { MasterFingerprint } from './master-fingerprint.ts';
import { gaussian, seededRandom } from './random.ts';

/**
 * One impression of a master finger, as a sensor would capture it: the finger placed with its own
 * rotation and displacement, the skin stretched non-linearly around the contact centre (plastic
 * distortion), a partial contact area, pressure or dryness changing ridge thickness, breaks and
 * blotches, sensor noise and blur. Rolled impressions cover more area and stretch more sideways.
 */
export interface ImpressionOptions {
  rolled?: boolean;
}

export function renderImpression(master: MasterFingerprint, impressionSeed: number, options: ImpressionOptions = {}): GrayImage {
  const random = seededRandom(impressionSeed ^ Math.imul(master.seed, 0x9e3779b1));
  const { width, height } = master;
  const rolled = options.rolled ?? false;

  // Placement: mostly small rotations, up to 30°; displacement up to ±25 px.
  const rotation = (random() - 0.5) * (random() < 0.8 ? 0.35 : 1.05);
  const dx = (random() - 0.5) * 50;
  const dy = (random() - 0.5) * 50;
  const cos = Math.cos(rotation);
  const sin = Math.sin(rotation);

  // Contact area: an ellipse around a displaced centre, larger when rolled.
  const contactX = width / 2 + (random() - 0.5) * 60;
  const contactY = height / 2 + (random() - 0.5) * 80;
  const radiusX = width * (rolled ? 0.55 : 0.3 + random() * 0.12);
  const radiusY = height * (rolled ? 0.5 : 0.3 + random() * 0.1);

  // Plastic distortion: a smooth displacement that grows away from the contact centre.
  const waves = Array.from({ length: 3 }, () => ({
    fx: (random() - 0.5) * 0.03,
    fy: (random() - 0.5) * 0.03,
    phase: random() * 2 * Math.PI,
    ax: (random() - 0.5) * (rolled ? 14 : 8),
    ay: (random() - 0.5) * 8,
  }));

  const pressure = (random() - 0.5) * 0.7; // > 0: heavy, thick ridges; < 0: dry, thin and broken
  const contrast = 150 + random() * 70;
  const background = 215 + random() * 30;
  const blotches = Array.from({ length: 4 }, () => ({ x: random() * width, y: random() * height, r: 15 + random() * 35, depth: random() * 0.8 }));

  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Output pixel → point on the finger: undo placement, then distortion.
      const ux = x - width / 2 - dx;
      const uy = y - height / 2 - dy;
      let fx = width / 2 + ux * cos - uy * sin;
      let fy = height / 2 + ux * sin + uy * cos;
      const ex = (fx - contactX) / radiusX;
      const ey = (fy - contactY) / radiusY;
      const reach = ex * ex + ey * ey;
      let value = 0;
      if (reach < 1) {
        const stretch = Math.min(1, reach);
        for (const w of waves) {
          const s = Math.sin(w.fx * fx + w.fy * fy + w.phase);
          fx += stretch * w.ax * s;
          fy += stretch * w.ay * s;
        }
        value = sampleBilinear(master.ridges, width, height, fx, fy) + pressure;
        for (const b of blotches) {
          const d = Math.hypot(fx - b.x, fy - b.y);
          if (d < b.r) value -= b.depth * (1 - d / b.r) * (value > 0 ? 1 : 0);
        }
        // Fade out at the rim of the contact area.
        const rim = Math.min(1, (1 - reach) * 6);
        value = Math.max(0, Math.min(1, (value + 0.25) * 1.4)) * rim;
      }
      const gray = background - contrast * value + gaussian(random) * 9;
      pixels[y * width + x] = gray < 0 ? 0 : gray > 255 ? 255 : Math.round(gray);
    }
  }
  return { width, height, pixels: boxBlur(pixels, width, height), ppi: 500 };
}

function sampleBilinear(values: Float32Array, width: number, height: number, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= width - 1 || y >= height - 1) return 0;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const tx = x - x0;
  const ty = y - y0;
  const i = y0 * width + x0;
  return (values[i] * (1 - tx) + values[i + 1] * tx) * (1 - ty) + (values[i + width] * (1 - tx) + values[i + width + 1] * tx) * ty;
}

/** A 3×3 box blur: sensors never deliver perfectly sharp ridges. */
function boxBlur(pixels: Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      let n = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= width) continue;
          sum += pixels[yy * width + xx];
          n++;
        }
      }
      out[y * width + x] = Math.round(sum / n);
    }
  }
  return out;
}
