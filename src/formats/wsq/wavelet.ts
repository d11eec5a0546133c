import { analyzeColumns97, analyzeRow97, hasStandardShape, synthesizeColumns97, synthesizeRow97, type InteriorSpan } from './kernels-97.ts';
import type { Region, SplitRegion } from './subband-tree.ts';

/**
 * Wavelet coefficients of an image, row-major. Single precision like the reference coder's:
 * it halves the memory the transform streams through, and 8-bit pixels need no more.
 */
export type Plane = Float32Array;

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

/**
 * One pass of the filter bank along a line of n samples, written as a plan: output sample t
 * (in storage order) is Σ weight[k] · input[source[k]] for k in [termStart[t], termStart[t+1]).
 * The border extension is folded into the sources once, so a plan is a plain weighted sum. For
 * the standard's 9/7 shape, sliding-window kernels compute the interior and the plan only the
 * few outputs near each end; any other bank the file declares runs on the plan alone.
 */
interface LinePlan {
  readonly termStart: Int32Array;
  readonly source: Int32Array;
  readonly weight: Float64Array;
  /** Loops for the interior when the bank has the standard's shape; the plan does the rest. */
  readonly kernels?: InteriorKernels;
  /** The outputs the kernels leave to the plan (all of them without kernels). */
  readonly borderOutputs: Int32Array;
}

/** The interior outputs of one line (a row) or of `count` adjacent lines (columns); see kernels-97.ts. */
interface InteriorKernels {
  row(src: Plane, at: number, dst: Plane, to: number): void;
  columns(src: Plane, at: number, stride: number, dst: Plane, to: number, dstStride: number, count: number): void;
}

/**
 * Forward transform of the whole plane: every split, parents first, rows then columns. Each
 * split filters its rows into a scratch buffer and its columns from there back into the plane.
 */
export function decompose(plane: Plane, width: number, splits: readonly SplitRegion[], bank: FilterBank): void {
  const scratch = new Scratch();
  for (const s of splits) {
    const buffer = scratch.get(s.width * s.height);
    const origin = s.y * width + s.x;
    filterRows(analysisPlan(bank, s.width, s.invertX), plane, origin, width, buffer, 0, s.width, s.height);
    filterColumns(analysisPlan(bank, s.height, s.invertY), buffer, 0, s.width, plane, origin, width, s.width);
  }
}

/** Inverse transform: children first, columns into the scratch buffer, then rows back. */
export function reconstruct(plane: Plane, width: number, splits: readonly SplitRegion[], bank: FilterBank): void {
  const scratch = new Scratch();
  for (let i = splits.length - 1; i >= 0; i--) {
    const s = splits[i];
    const buffer = scratch.get(s.width * s.height);
    const origin = s.y * width + s.x;
    const columns = synthesisPlan(bank, s.height, s.invertY);
    if (s.diagonalDiscarded) {
      // The columns of the horizontal highpass half have an all-zero vertical highpass half.
      const x = halves(s.width, s.invertX);
      const lowOnly = synthesisPlan(bank, s.height, s.invertY, true);
      filterColumns(columns, plane, origin + x.lowStart, width, buffer, x.lowStart, s.width, x.lowCount);
      filterColumns(lowOnly, plane, origin + x.highStart, width, buffer, x.highStart, s.width, x.highCount);
    } else {
      filterColumns(columns, plane, origin, width, buffer, 0, s.width, s.width);
    }
    filterRows(synthesisPlan(bank, s.width, s.invertX), buffer, 0, s.width, plane, origin, width, s.height);
  }
}

class Scratch {
  private buffer: Plane = new Float32Array(0);

  get(size: number): Plane {
    if (this.buffer.length < size) this.buffer = new Float32Array(size);
    return this.buffer;
  }
}

/** Filters `rows` lines: line r is src[at + r·stride + s], its output dst[to + r·dstStride + t]. */
function filterRows(plan: LinePlan, src: Plane, at: number, stride: number, dst: Plane, to: number, dstStride: number, rows: number): void {
  const { termStart, source, weight, kernels, borderOutputs } = plan;
  for (let r = 0; r < rows; r++) {
    const line = at + r * stride;
    const out = to + r * dstStride;
    kernels?.row(src, line, dst, out);
    for (let b = 0; b < borderOutputs.length; b++) {
      const t = borderOutputs[b];
      let sum = 0;
      for (let k = termStart[t], end = termStart[t + 1]; k < end; k++) sum += weight[k] * src[line + source[k]];
      dst[out + t] = sum;
    }
  }
}

/** Filters `count` adjacent columns: sample s of column x is src[at + s·stride + x], its output dst[to + t·dstStride + x]. */
function filterColumns(plan: LinePlan, src: Plane, at: number, stride: number, dst: Plane, to: number, dstStride: number, count: number): void {
  const { termStart, source, weight, kernels, borderOutputs } = plan;
  kernels?.columns(src, at, stride, dst, to, dstStride, count);
  for (const t of borderOutputs) {
    const out = to + t * dstStride;
    dst.fill(0, out, out + count);
    for (let k = termStart[t]; k < termStart[t + 1]; k++) {
      const c = weight[k];
      const line = at + source[k] * stride;
      for (let x = 0; x < count; x++) dst[out + x] += c * src[line + x];
    }
  }
}

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

/** Collects each output's terms, merging repeated sources (the extension folds taps onto one sample). */
class PlanBuilder {
  private readonly outputs: Map<number, number>[];

  constructor(n: number) {
    this.outputs = Array.from({ length: n }, () => new Map<number, number>());
  }

  add(target: number, source: number, weight: number): void {
    if (weight === 0) return;
    const terms = this.outputs[target];
    terms.set(source, (terms.get(source) ?? 0) + weight);
  }

  build(kernels?: InteriorKernels, interior?: (t: number) => boolean): LinePlan {
    const termStart = new Int32Array(this.outputs.length + 1);
    const sources: number[] = [];
    const weights: number[] = [];
    this.outputs.forEach((terms, t) => {
      for (const [source, weight] of terms) {
        sources.push(source);
        weights.push(weight);
      }
      termStart[t + 1] = sources.length;
    });
    const borderOutputs = Int32Array.from(this.outputs.keys()).filter((t) => !kernels || !interior!(t));
    return { termStart, source: Int32Array.from(sources), weight: Float64Array.from(weights), kernels, borderOutputs };
  }
}

/** A one-sample line is left as it is both ways, which keeps the pair exact. */
function identityPlan(n: number): LinePlan {
  const plan = new PlanBuilder(n);
  if (n === 1) plan.add(0, 0, 1);
  return plan.build();
}

/** Storage of a split line: lowpass ceil(n/2) samples then highpass, or highpass first when inverted. */
function halves(n: number, inverted: boolean): { lowCount: number; highCount: number; lowStart: number; highStart: number } {
  const lowCount = (n + 1) >> 1;
  const highCount = n >> 1;
  return { lowCount, highCount, lowStart: inverted ? highCount : 0, highStart: inverted ? 0 : lowCount };
}

/** Plans by filter taps and line shape: every file carries its own copy of the same filters. */
const plans = new Map<string, LinePlan>();
const MAX_CACHED_PLANS = 512;

function cachedPlan(bank: FilterBank, shape: string, make: () => LinePlan): LinePlan {
  const key = `${bank.lowpass.join()}|${bank.highpass.join()}|${shape}`;
  let plan = plans.get(key);
  if (!plan) {
    if (plans.size >= MAX_CACHED_PLANS) plans.clear();
    plans.set(key, (plan = make()));
  }
  return plan;
}

function analysisPlan(bank: FilterBank, n: number, inverted: boolean): LinePlan {
  return cachedPlan(bank, `a${n}${inverted ? 'i' : ''}`, () => {
    if (n < 2) return identityPlan(n);
    const { lowCount, highCount, lowStart, highStart } = halves(n, inverted);
    const plan = new PlanBuilder(n);
    const { lowpass, highpass } = bank;
    for (let j = 0; j < lowCount; j++) {
      for (let k = 1 - lowpass.length; k < lowpass.length; k++) plan.add(lowStart + j, reflect(2 * j + k, n), lowpass[Math.abs(k)]);
    }
    for (let j = 0; j < highCount; j++) {
      for (let k = 1 - highpass.length; k < highpass.length; k++) plan.add(highStart + j, reflect(2 * j + 1 + k, n), highpass[Math.abs(k)]);
    }
    const from = 2;
    const to = (n - 5) >> 1;
    if (!hasStandardShape(lowpass, highpass) || to < from) return plan.build();
    const inside = (t: number, start: number) => t >= start + from && t <= start + to;
    const span: InteriorSpan = { lowStart, highStart, first: from, last: to };
    const kernels: InteriorKernels = {
      row: (src, at, dst, out) => analyzeRow97(src, at, dst, out, span, lowpass, highpass),
      columns: (src, at, stride, dst, out, dstStride, count) => analyzeColumns97(src, at, stride, dst, out, dstStride, count, span, lowpass, highpass),
    };
    return plan.build(kernels, (t) => inside(t, lowStart) || inside(t, highStart));
  });
}

/**
 * Synthesis: output i sums the lowpass samples j (centred on 2j) with the modulated highpass
 * filter's taps at |i − 2j|, and the highpass samples j (centred on 2j+1) with the modulated
 * lowpass taps at |i − 2j − 1|. The subbands of a symmetric line are themselves symmetric, so
 * samples beyond either end are the reflected ones. `highpassIsZero` drops the highpass terms,
 * for lines whose highpass half is known to be zero.
 */
function synthesisPlan(bank: FilterBank, n: number, inverted: boolean, highpassIsZero = false): LinePlan {
  return cachedPlan(bank, `s${n}${inverted ? 'i' : ''}${highpassIsZero ? 'z' : ''}`, () => {
    if (n < 2) return identityPlan(n);
    const { lowCount, highCount, lowStart, highStart } = halves(n, inverted);
    const fromLow = modulate(bank.highpass);
    const fromHigh = highpassIsZero ? new Float64Array(bank.lowpass.length) : modulate(bank.lowpass);
    const plan = new PlanBuilder(n);
    for (let i = 0; i < n; i++) {
      for (let j = Math.ceil((i - fromLow.length + 1) / 2); 2 * j <= i + fromLow.length - 1; j++) {
        const stored = j >= 0 && j < lowCount ? j : reflect(2 * j, n) >> 1;
        plan.add(i, lowStart + stored, fromLow[Math.abs(i - 2 * j)]);
      }
      for (let j = Math.ceil((i - fromHigh.length) / 2); 2 * j + 1 <= i + fromHigh.length - 1; j++) {
        if (highCount === 0) break;
        const stored = j >= 0 && j < highCount ? j : (reflect(2 * j + 1, n) - 1) >> 1;
        plan.add(i, highStart + stored, fromHigh[Math.abs(i - 2 * j - 1)]);
      }
    }
    const from = 2;
    const to = highCount - 3;
    if (!hasStandardShape(bank.lowpass, bank.highpass) || to < from) return plan.build();
    const span: InteriorSpan = { lowStart, highStart, first: from, last: to };
    const kernels: InteriorKernels = {
      row: (src, at, dst, out) => synthesizeRow97(src, at, dst, out, span, fromLow, fromHigh),
      columns: (src, at, stride, dst, out, dstStride, count) => synthesizeColumns97(src, at, stride, dst, out, dstStride, count, span, fromLow, fromHigh),
    };
    return plan.build(kernels, (t) => t >= 2 * from && t <= 2 * to + 1);
  });
}
