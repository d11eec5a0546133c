import type { Region } from './subband-tree.ts';
import { CODED_SUBBANDS, TABLE_SUBBANDS } from './subband-tree.ts';
import type { QuantizationTable } from './tables.ts';
import type { Plane } from './wavelet.ts';

/**
 * Scalar quantization of the subbands (FBI WSQ spec v3.1, encoder annex): bin widths from the
 * subband variances so the coded image meets a target bit rate, a zero bin 1.2 times wider,
 * and the decoder's reconstruction at a fixed fraction C of each bin.
 */

export const BIN_CENTER = 0.44;
const ZERO_BIN_RATIO = 1.2;
/** Subbands whose variance is below this carry nothing worth coding. */
const VARIANCE_THRESHOLD = 1.01;
/** Subbands 0–3, 4–50 and 51–59 cover 1/1024, 1/256 and 1/16 of the image each. */
const SIZE_REGION_STARTS = [0, 4, 51] as const;
const AREA_FRACTIONS = [1 / 1024, 1 / 256, 1 / 16] as const;
/** Relative weights for the finest coded subbands 52–59 (others 1): coarser bins where the eye cares less. */
const FINE_WEIGHTS = [1.32, 1.08, 1.42, 1.08, 1.32, 1.42, 1.08, 1.08];

/**
 * Variance of each coded subband. As the spec prescribes, only a central window of each subband
 * is measured (x from W/8 for 3W/4, y from 9H/32 for 7H/16), where the finger usually is — unless
 * the four coarsest subbands have little energy, then whole subbands are used.
 */
export function subbandVariances(plane: Plane, width: number, subbands: readonly Region[]): Float64Array {
  const variances = new Float64Array(CODED_SUBBANDS);
  const windowed = (k: number) => {
    const s = subbands[k];
    return variance(plane, width, s.x + Math.floor(s.width / 8), s.y + Math.floor((9 * s.height) / 32), Math.floor((3 * s.width) / 4), Math.floor((7 * s.height) / 16));
  };
  const whole = (k: number) => {
    const s = subbands[k];
    return variance(plane, width, s.x, s.y, s.width, s.height);
  };
  let coarse = 0;
  for (let k = 0; k < 4; k++) coarse += variances[k] = windowed(k);
  const measure = coarse < 20000 ? whole : windowed;
  for (let k = coarse < 20000 ? 0 : 4; k < CODED_SUBBANDS; k++) variances[k] = measure(k);
  return variances;
}

function variance(plane: Plane, width: number, x0: number, y0: number, w: number, h: number): number {
  const n = w * h;
  if (n < 2) return 0;
  let sum = 0;
  let squares = 0;
  for (let y = y0; y < y0 + h; y++) {
    for (let i = y * width + x0, end = i + w; i < end; i++) {
      const v = plane[i];
      sum += v;
      squares += v * v;
    }
  }
  return (squares - (sum * sum) / n) / (n - 1);
}

/**
 * Bin widths for a target bit rate (bits per pixel): the spec's iterative allocation. Relative
 * widths Q'_k are 1 for subbands 0–3 and 10 / (A_k ln σ²_k) otherwise; a single factor q scales
 * them so the high-rate estimate of the total rate, Σ m_k (log2(σ_k / Q_k) + 1.32), equals the
 * target; subbands that would get a non-positive rate are dropped and q recomputed.
 */
export function allocateBins(variances: Float64Array, bitrate: number): QuantizationTable {
  const relative = new Float64Array(CODED_SUBBANDS);
  const sigma = new Float64Array(CODED_SUBBANDS);
  const area = new Float64Array(CODED_SUBBANDS);
  const candidates: number[] = [];
  for (let k = 0; k < CODED_SUBBANDS; k++) {
    area[k] = AREA_FRACTIONS[k >= SIZE_REGION_STARTS[2] ? 2 : k >= SIZE_REGION_STARTS[1] ? 1 : 0];
    if (!(variances[k] >= VARIANCE_THRESHOLD)) continue;
    const weight = k >= 52 ? FINE_WEIGHTS[k - 52] : 1;
    relative[k] = k < SIZE_REGION_STARTS[1] ? 1 : 10 / (weight * Math.log(variances[k]));
    sigma[k] = Math.sqrt(variances[k]);
    candidates.push(k);
  }
  let active = candidates;
  let q = 1;
  while (active.length > 0) {
    let share = 0;
    let logProduct = 0;
    for (const k of active) {
      share += area[k];
      logProduct += area[k] * Math.log(sigma[k] / relative[k]);
    }
    // q = 2^(r/S - 1) / 2.5 / P^(1/S), with P = Π (σ_k / Q'_k)^m_k, computed in logs.
    q = 2 ** (bitrate / share - 1) / 2.5 / Math.exp(logProduct / share);
    const kept = active.filter((k) => relative[k] / q < 5 * sigma[k]);
    if (kept.length === active.length) break;
    active = kept;
  }
  // Like the reference encoder, every subband above the variance threshold keeps a bin width;
  // those dropped above get widths so large that they quantize to (almost) nothing.
  const binWidths = new Float64Array(TABLE_SUBBANDS);
  const zeroBinWidths = new Float64Array(TABLE_SUBBANDS);
  for (const k of candidates) {
    binWidths[k] = relative[k] / q;
    zeroBinWidths[k] = ZERO_BIN_RATIO * binWidths[k];
  }
  return { binCenter: BIN_CENTER, binWidths, zeroBinWidths };
}

/** Quantizes the coded subbands in stream order into `out`; returns the count written. */
export function quantizeSubbands(plane: Plane, width: number, subbands: readonly Region[], table: QuantizationTable, out: Int32Array): number {
  let n = 0;
  for (let k = 0; k < CODED_SUBBANDS; k++) {
    const q = table.binWidths[k];
    if (q === 0) continue;
    const halfZero = table.zeroBinWidths[k] / 2;
    const s = subbands[k];
    for (let y = s.y; y < s.y + s.height; y++) {
      for (let i = y * width + s.x, end = i + s.width; i < end; i++) {
        const v = plane[i];
        out[n++] = v > halfZero ? Math.trunc((v - halfZero) / q + 1) : v < -halfZero ? Math.trunc((v + halfZero) / q - 1) : 0;
      }
    }
  }
  return n;
}

/** Number of quantized coefficients each block carries (subbands with a zero bin width are absent). */
export function codedCount(subbands: readonly Region[], table: QuantizationTable, from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) if (table.binWidths[k] !== 0) n += subbands[k].width * subbands[k].height;
  return n;
}

/**
 * The decoder's destination: coefficients arrive in stream order (subband by subband, row by row)
 * and each non-zero one is written, dequantized to its reconstruction value, straight into its
 * place in the plane (which starts all zeros, as do the coefficients of zero runs). No array of
 * quantized coefficients is kept in between.
 */
export class DequantizingPlane {
  /** Number of coefficients the stream carries (subbands with a zero bin width are absent). */
  readonly total: number;
  private readonly bands: { start: number; end: number; x: number; y: number; width: number; binWidth: number; halfZero: number }[] = [];
  private band = 0;
  // The current subband, unpacked for the per-coefficient path.
  private start = 0;
  private end = 0;
  private x = 0;
  private y = 0;
  private bandWidth = 1;
  private binWidth = 0;
  private halfZero = 0;
  private readonly binCenter: number;

  constructor(
    readonly plane: Plane,
    private readonly width: number,
    subbands: readonly Region[],
    table: QuantizationTable,
  ) {
    let start = 0;
    for (let k = 0; k < CODED_SUBBANDS; k++) {
      const binWidth = table.binWidths[k];
      const s = subbands[k];
      if (binWidth === 0 || s.width * s.height === 0) continue;
      const end = start + s.width * s.height;
      this.bands.push({ start, end, x: s.x, y: s.y, width: s.width, binWidth, halfZero: table.zeroBinWidths[k] / 2 });
      start = end;
    }
    this.total = start;
    this.binCenter = table.binCenter;
    this.select(0);
  }

  /** Coefficient `index` (increasing from call to call) has the quantized value `value`. */
  put(index: number, value: number): void {
    if (value === 0) return;
    while (index >= this.end) this.select(this.band + 1);
    const local = index - this.start;
    const row = (local / this.bandWidth) | 0;
    const at = (this.y + row) * this.width + this.x + local - row * this.bandWidth;
    this.plane[at] = value > 0 ? this.binWidth * (value - this.binCenter) + this.halfZero : this.binWidth * (value + this.binCenter) - this.halfZero;
  }

  private select(band: number): void {
    this.band = band;
    const b = this.bands[band];
    if (!b) throw new RangeError(`coefficient beyond the ${this.total} the stream carries`); // callers stop at total
    ({ start: this.start, end: this.end, x: this.x, y: this.y, width: this.bandWidth, binWidth: this.binWidth, halfZero: this.halfZero } = b);
  }
}
