import { describe, expect, it } from 'vitest';
import { computeErrorRates } from './error-rates.ts';
import { fvcPairs, parseFvcName } from './fvc-protocol.ts';
import { renderDetCurve } from './det-curve.ts';

describe('computeErrorRates', () => {
  it('gives zero errors when every genuine score exceeds every impostor score', () => {
    const rates = computeErrorRates([10, 11, 12], [1, 2, 3, 4]);
    expect(rates.eer).toBe(0);
    expect(rates.fnmrAtFmr0.fnmr).toBe(0);
    expect(rates.fnmrAtFmr0.threshold).toBeGreaterThan(4);
    expect(rates.fnmrAtFmr0.threshold).toBeLessThanOrEqual(10);
  });

  it('finds the crossing of FMR and FNMR for overlapping scores', () => {
    // 10 genuine, 10 impostor; one genuine (3) sits among impostors, one impostor (8) among genuines.
    const genuine = [3, 6, 7, 9, 10, 11, 12, 13, 14, 15];
    const impostor = [0, 1, 1, 2, 2, 4, 4, 5, 5, 8];
    const rates = computeErrorRates(genuine, impostor);
    expect(rates.eer).toBeCloseTo(0.1, 5);
    expect(rates.fnmrAtFmr0.fnmr).toBeCloseTo(0.3, 5); // threshold above 8 rejects 3, 6 and 7
    expect(rates.fnmrAtFmr1pct.fnmr).toBeCloseTo(0.3, 5);
    expect(rates.genuine).toBe(10);
    expect(rates.impostor).toBe(10);
  });

  it('reports total separation failure as a high EER', () => {
    const rates = computeErrorRates([1, 2, 3], [7, 8, 9]);
    expect(rates.eer).toBeGreaterThanOrEqual(0.5);
  });
});

describe('FVC protocol', () => {
  it('parses FVC file names and forms 28 genuine pairs per finger of 8 impressions', () => {
    expect(parseFvcName('101_3.tif')).toEqual({ finger: '101', impression: '3' });
    expect(parseFvcName('readme.txt')).toBeUndefined();
    const impressions = [];
    for (let f = 1; f <= 10; f++) for (let i = 1; i <= 8; i++) impressions.push({ finger: String(f), impression: String(i) });
    const pairs = fvcPairs(impressions);
    expect(pairs.filter((p) => p.genuine)).toHaveLength(280);
    expect(pairs.filter((p) => !p.genuine)).toHaveLength(2880);
  });

  it('renders a DET curve as SVG', () => {
    const rates = computeErrorRates([3, 6, 7, 9], [0, 1, 4, 8]);
    const svg = renderDetCurve([{ label: 'test', curve: rates.curve, genuine: 4, impostor: 4 }]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<polyline');
  });
});
