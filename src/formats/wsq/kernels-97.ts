import type { Plane } from './wavelet.ts';

/**
 * Interior loops for a bank of the standard's shape (9-tap lowpass, 7-tap highpass). The two
 * outputs of a step (lowpass and highpass in analysis, even and odd sample in synthesis) share
 * one window of nine inputs, loaded once; along a row the window slides in locals, so a step
 * costs two loads. The plans in wavelet.ts compute the few outputs near each border.
 *
 * A line is addressed as `src[at + s·stride]` and written to `dst[to + t·stride']`; the column
 * kernels do `count` adjacent lines at once (lane x adds x to every address), which keeps the
 * inner loops walking memory in order.
 */

/** Whether the 9/7 kernels apply: lowpass taps 0..4 and highpass taps 0..3 from the centre. */
export function hasStandardShape(lowpass: Float64Array, highpass: Float64Array): boolean {
  return lowpass.length === 5 && highpass.length === 4;
}

/** Where a split line keeps its halves, and the steps [first, last] the kernels compute. */
export interface InteriorSpan {
  readonly lowStart: number;
  readonly highStart: number;
  readonly first: number;
  readonly last: number;
}

/**
 * Analysis steps j: lowpass j (centred on sample 2j) to output lowStart + j, highpass j (centred
 * on 2j+1) to highStart + j. Needs samples 2·first−4 … 2·last+4.
 */
export function analyzeRow97(src: Plane, at: number, dst: Plane, to: number, span: InteriorSpan, lowpass: Float64Array, highpass: Float64Array): void {
  const [l0, l1, l2, l3, l4] = lowpass;
  const [h0, h1, h2, h3] = highpass;
  const low = to + span.lowStart;
  const high = to + span.highStart;
  let i = at + 2 * span.first;
  let xm4 = src[i - 4], xm3 = src[i - 3], xm2 = src[i - 2], xm1 = src[i - 1];
  let x0 = src[i], x1 = src[i + 1], x2 = src[i + 2];
  for (let j = span.first; j <= span.last; j++, i += 2) {
    const x3 = src[i + 3];
    const x4 = src[i + 4];
    dst[low + j] = l0 * x0 + l1 * (xm1 + x1) + l2 * (xm2 + x2) + l3 * (xm3 + x3) + l4 * (xm4 + x4);
    dst[high + j] = h0 * x1 + h1 * (x0 + x2) + h2 * (xm1 + x3) + h3 * (xm2 + x4);
    xm4 = xm2; xm3 = xm1; xm2 = x0; xm1 = x1; x0 = x2; x1 = x3; x2 = x4;
  }
}

/**
 * Synthesis steps m: samples 2m and 2m+1 from lowpass L[j] = src[at + lowStart + j] and highpass
 * H[j] = src[at + highStart + j], with the synthesis filters g (applied to the lowpass subband,
 * taps 0..3) and h (to the highpass subband, taps 0..4). Needs L[first−1 … last+2] and
 * H[first−2 … last+2].
 */
export function synthesizeRow97(src: Plane, at: number, dst: Plane, to: number, span: InteriorSpan, g: Float64Array, h: Float64Array): void {
  const [g0, g1, g2, g3] = g;
  const [h0, h1, h2, h3, h4] = h;
  const low = at + span.lowStart;
  const high = at + span.highStart;
  const m0 = span.first;
  let lm1 = src[low + m0 - 1], l0 = src[low + m0], l1 = src[low + m0 + 1];
  let hm2 = src[high + m0 - 2], hm1 = src[high + m0 - 1], hc = src[high + m0], hp1 = src[high + m0 + 1];
  const last = span.last;
  let m = m0;
  let o = to + 2 * m0;
  // Two steps per turn: the window slides by two samples of each half.
  for (; m + 1 <= last; m += 2, o += 4) {
    const l2 = src[low + m + 2], l3 = src[low + m + 3];
    const hp2 = src[high + m + 2], hp3 = src[high + m + 3];
    dst[o] = g0 * l0 + g2 * (lm1 + l1) + h1 * (hm1 + hc) + h3 * (hm2 + hp1);
    dst[o + 1] = h0 * hc + h2 * (hm1 + hp1) + h4 * (hm2 + hp2) + g1 * (l0 + l1) + g3 * (lm1 + l2);
    dst[o + 2] = g0 * l1 + g2 * (l0 + l2) + h1 * (hc + hp1) + h3 * (hm1 + hp2);
    dst[o + 3] = h0 * hp1 + h2 * (hc + hp2) + h4 * (hm1 + hp3) + g1 * (l1 + l2) + g3 * (l0 + l3);
    lm1 = l1; l0 = l2; l1 = l3;
    hm2 = hc; hm1 = hp1; hc = hp2; hp1 = hp3;
  }
  if (m <= last) {
    const l2 = src[low + m + 2];
    const hp2 = src[high + m + 2];
    dst[o] = g0 * l0 + g2 * (lm1 + l1) + h1 * (hm1 + hc) + h3 * (hm2 + hp1);
    dst[o + 1] = h0 * hc + h2 * (hm1 + hp1) + h4 * (hm2 + hp2) + g1 * (l0 + l1) + g3 * (lm1 + l2);
  }
}

/** `analyzeRow97` down `count` adjacent columns: sample s at src[at + s·stride + x], output t at dst[to + t·dstStride + x]. */
export function analyzeColumns97(
  src: Plane,
  at: number,
  stride: number,
  dst: Plane,
  to: number,
  dstStride: number,
  count: number,
  span: InteriorSpan,
  lowpass: Float64Array,
  highpass: Float64Array,
): void {
  const [l0, l1, l2, l3, l4] = lowpass;
  const [h0, h1, h2, h3] = highpass;
  for (let j = span.first; j <= span.last; j++) {
    const r = at + 2 * j * stride;
    const m4 = r - 4 * stride, m3 = r - 3 * stride, m2 = r - 2 * stride, m1 = r - stride;
    const p1 = r + stride, p2 = r + 2 * stride, p3 = r + 3 * stride, p4 = r + 4 * stride;
    const low = to + (span.lowStart + j) * dstStride;
    const high = to + (span.highStart + j) * dstStride;
    for (let x = 0; x < count; x++) {
      const xm2 = src[m2 + x], xm1 = src[m1 + x], x0 = src[r + x], x1 = src[p1 + x], x2 = src[p2 + x];
      const x3 = src[p3 + x], x4 = src[p4 + x];
      dst[low + x] = l0 * x0 + l1 * (xm1 + x1) + l2 * (xm2 + x2) + l3 * (src[m3 + x] + x3) + l4 * (src[m4 + x] + x4);
      dst[high + x] = h0 * x1 + h1 * (x0 + x2) + h2 * (xm1 + x3) + h3 * (xm2 + x4);
    }
  }
}

/** `synthesizeRow97` down `count` adjacent columns, addressed as in `analyzeColumns97`. */
export function synthesizeColumns97(
  src: Plane,
  at: number,
  stride: number,
  dst: Plane,
  to: number,
  dstStride: number,
  count: number,
  span: InteriorSpan,
  g: Float64Array,
  h: Float64Array,
): void {
  const [g0, g1, g2, g3] = g;
  const [h0, h1, h2, h3, h4] = h;
  const lowpassOnly = h.every((tap) => tap === 0); // the highpass half is known to be zero
  const evenStride = 2 * dstStride;
  let m = span.first;
  // Two steps at a time: the second step's nine rows include seven of the first's.
  for (; !lowpassOnly && m + 1 <= span.last; m += 2) {
    const l = at + (span.lowStart + m) * stride;
    const c = at + (span.highStart + m) * stride;
    const lm1 = l - stride, lp1 = l + stride, lp2 = l + 2 * stride, lp3 = l + 3 * stride;
    const hm2 = c - 2 * stride, hm1 = c - stride, hp1 = c + stride, hp2 = c + 2 * stride, hp3 = c + 3 * stride;
    const out0 = to + 2 * m * dstStride;
    const out1 = out0 + dstStride, out2 = out0 + evenStride, out3 = out1 + evenStride;
    for (let x = 0; x < count; x++) {
      const a = src[lm1 + x], b = src[l + x], d = src[lp1 + x], u = src[lp2 + x];
      const e = src[hm2 + x], f = src[hm1 + x], k = src[c + x], q = src[hp1 + x], r = src[hp2 + x];
      dst[out0 + x] = g0 * b + g2 * (a + d) + h1 * (f + k) + h3 * (e + q);
      dst[out1 + x] = h0 * k + h2 * (f + q) + h4 * (e + r) + g1 * (b + d) + g3 * (a + u);
      dst[out2 + x] = g0 * d + g2 * (b + u) + h1 * (k + q) + h3 * (f + r);
      dst[out3 + x] = h0 * q + h2 * (k + r) + h4 * (f + src[hp3 + x]) + g1 * (d + u) + g3 * (b + src[lp3 + x]);
    }
  }
  for (; m <= span.last; m++) {
    const l = at + (span.lowStart + m) * stride;
    const c = at + (span.highStart + m) * stride;
    const lm1 = l - stride, lp1 = l + stride, lp2 = l + 2 * stride;
    const hm2 = c - 2 * stride, hm1 = c - stride, hp1 = c + stride, hp2 = c + 2 * stride;
    const even = to + 2 * m * dstStride;
    const odd = even + dstStride;
    if (lowpassOnly) {
      for (let x = 0; x < count; x++) {
        const a = src[lm1 + x], b = src[l + x], d = src[lp1 + x];
        dst[even + x] = g0 * b + g2 * (a + d);
        dst[odd + x] = g1 * (b + d) + g3 * (a + src[lp2 + x]);
      }
      continue;
    }
    for (let x = 0; x < count; x++) {
      const a = src[lm1 + x], b = src[l + x], d = src[lp1 + x];
      const e = src[hm2 + x], f = src[hm1 + x], k = src[c + x], q = src[hp1 + x];
      dst[even + x] = g0 * b + g2 * (a + d) + h1 * (f + k) + h3 * (e + q);
      dst[odd + x] = h0 * k + h2 * (f + q) + h4 * (e + src[hp2 + x]) + g1 * (b + d) + g3 * (a + src[lp2 + x]);
    }
  }
}
