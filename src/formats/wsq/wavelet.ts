import type { SplitRegion } from './subband-tree.ts';

/**
 * The WSQ two-channel filter bank: symmetric odd-length analysis filters with whole-sample
 * symmetric extension at the borders (spec: the 9/7 biorthogonal pair carried in the DTT segment).
 * Each filter is kept as its taps from the centre outwards: `taps[0]` is the centre and `taps[k]`
 * applies at offsets ±k. The lowpass output j is centred on sample 2j, the highpass output j on
 * sample 2j+1; synthesis uses the modulated filters, which reconstruct the line exactly.
 */
export interface FilterBank {
  readonly lowpass: Float64Array;
  readonly highpass: Float64Array;
}

/** The standard's 9/7 filters (CDF 9/7 scaled so each lowpass sums to √2). */
export const STANDARD_FILTERS: FilterBank = {
  lowpass: Float64Array.of(0.852698679009403, 0.377402855612654, -0.110624404418423, -0.023849465019380, 0.037828455506995),
  highpass: Float64Array.of(0.788485616405664, -0.418092273222212, -0.040689417609558, 0.064538882628938),
};

/** Index of sample i of the symmetric, periodic extension of a line of n samples. */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

function modulate(taps: Float64Array): Float64Array {
  return taps.map((t, k) => (k % 2 === 0 ? t : -t));
}

/**
 * Work buffers and precomputed filters for one filter bank; reused across lines so the hot loops
 * allocate nothing.
 */
export class LineFilter {
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  /** Synthesis lowpass (applied to the lowpass subband) and highpass. */
  private readonly synLo: Float64Array;
  private readonly synHi: Float64Array;
  private readonly pad: number;
  private ext = new Float64Array(0);
  private lowExt = new Float64Array(0);
  private highExt = new Float64Array(0);
  private line = new Float64Array(0);
  private out = new Float64Array(0);

  constructor(bank: FilterBank) {
    this.lo = bank.lowpass;
    this.hi = bank.highpass;
    this.synLo = modulate(bank.highpass);
    this.synHi = modulate(bank.lowpass);
    this.pad = Math.max(this.lo.length, this.hi.length) + 2;
  }

  private ensure(n: number): void {
    if (this.line.length >= n) return;
    const size = n + 2 * this.pad + 4;
    this.ext = new Float64Array(size);
    this.lowExt = new Float64Array(size);
    this.highExt = new Float64Array(size);
    this.line = new Float64Array(n);
    this.out = new Float64Array(n);
  }

  /**
   * Splits the line of n samples at data[start + i*step] into its lowpass half (ceil(n/2)) and
   * highpass half (floor(n/2)), written back in place, highpass first when `inverted`.
   */
  analyze(data: Float32Array, start: number, step: number, n: number, inverted: boolean): void {
    if (n < 2) return; // a one-sample line is left as it is both ways, which keeps the pair exact
    this.ensure(n);
    const { lo, hi, pad, ext } = this;
    for (let i = 0; i < n; i++) ext[pad + i] = data[start + i * step];
    for (let i = 1; i <= pad; i++) {
      ext[pad - i] = ext[pad + reflect(-i, n)];
      ext[pad + n - 1 + i] = ext[pad + reflect(n - 1 + i, n)];
    }
    const lowCount = (n + 1) >> 1;
    const highCount = n >> 1;
    const lowStart = inverted ? start + highCount * step : start;
    const highStart = inverted ? start : start + lowCount * step;
    const loTaps = lo.length;
    const hiTaps = hi.length;
    for (let j = 0; j < lowCount; j++) {
      const c = pad + 2 * j;
      let sum = lo[0] * ext[c];
      for (let k = 1; k < loTaps; k++) sum += lo[k] * (ext[c - k] + ext[c + k]);
      data[lowStart + j * step] = sum;
    }
    for (let j = 0; j < highCount; j++) {
      const c = pad + 2 * j + 1;
      let sum = hi[0] * ext[c];
      for (let k = 1; k < hiTaps; k++) sum += hi[k] * (ext[c - k] + ext[c + k]);
      data[highStart + j * step] = sum;
    }
  }

  /** Inverse of `analyze`: rebuilds the n samples from the two halves stored at data[start + i*step]. */
  synthesize(data: Float32Array, start: number, step: number, n: number, inverted: boolean): void {
    if (n < 2) return;
    this.ensure(n);
    const { synLo, synHi, pad, lowExt, highExt, out } = this;
    const lowCount = (n + 1) >> 1;
    const highCount = n >> 1;
    const lowStart = inverted ? start + highCount * step : start;
    const highStart = inverted ? start : start + lowCount * step;
    // The subbands of a symmetric line are themselves symmetric; extend them the same way.
    for (let j = -pad; j < lowCount + pad; j++) {
      const source = j >= 0 && j < lowCount ? j : reflect(2 * j, n) >> 1;
      lowExt[pad + j] = data[lowStart + source * step];
    }
    for (let j = -pad; j < highCount + pad; j++) {
      const source = j >= 0 && j < highCount ? j : (reflect(2 * j + 1, n) - 1) >> 1;
      highExt[pad + j] = data[highStart + source * step];
    }
    // Polyphase form: even outputs 2m take the even lowpass taps and odd highpass taps, odd
    // outputs 2m+1 the odd lowpass taps and even highpass taps (lowpass j sits at sample 2j,
    // highpass j at 2j+1), so the inner loops have no parity tests.
    const loTaps = synLo.length;
    const hiTaps = synHi.length;
    for (let m = 0, i = 0; i < n; m++, i += 2) {
      const l = pad + m;
      let even = synLo[0] * lowExt[l];
      for (let k = 2; k < loTaps; k += 2) even += synLo[k] * (lowExt[l - (k >> 1)] + lowExt[l + (k >> 1)]);
      for (let k = 1; k < hiTaps; k += 2) even += synHi[k] * (highExt[l - ((k + 1) >> 1)] + highExt[l + ((k - 1) >> 1)]);
      out[i] = even;
      if (i + 1 >= n) break;
      let odd = synHi[0] * highExt[l];
      for (let k = 2; k < hiTaps; k += 2) odd += synHi[k] * (highExt[l - (k >> 1)] + highExt[l + (k >> 1)]);
      for (let k = 1; k < loTaps; k += 2) odd += synLo[k] * (lowExt[l - ((k - 1) >> 1)] + lowExt[l + ((k + 1) >> 1)]);
      out[i + 1] = odd;
    }
    for (let i = 0; i < n; i++) data[start + i * step] = out[i];
  }
}

/** Forward transform of the whole plane: every split, parents first, rows then columns. */
export function decompose(plane: Float32Array, width: number, splits: readonly SplitRegion[], bank: FilterBank): void {
  const filter = new LineFilter(bank);
  for (const s of splits) {
    for (let row = 0; row < s.height; row++) filter.analyze(plane, (s.y + row) * width + s.x, 1, s.width, s.invertX);
    for (let col = 0; col < s.width; col++) filter.analyze(plane, s.y * width + s.x + col, width, s.height, s.invertY);
  }
}

/** Inverse transform: children first, columns then rows. */
export function reconstruct(plane: Float32Array, width: number, splits: readonly SplitRegion[], bank: FilterBank): void {
  const filter = new LineFilter(bank);
  for (let i = splits.length - 1; i >= 0; i--) {
    const s = splits[i];
    for (let col = 0; col < s.width; col++) filter.synthesize(plane, s.y * width + s.x + col, width, s.height, s.invertY);
    for (let row = 0; row < s.height; row++) filter.synthesize(plane, (s.y + row) * width + s.x, 1, s.width, s.invertX);
  }
}
