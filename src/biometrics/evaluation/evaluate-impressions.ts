import { ConcordError } from '../../shared/errors.ts';
import type { GrayImage } from '../gray-image.ts';
import type { FingerprintTemplate } from '../template.ts';
import { extractTemplate } from '../extraction/extract-template.ts';
import { prepareTemplate } from '../matching/prepared-template.ts';
import { compareTemplates } from '../matching/compare-templates.ts';
import { computeErrorRates, type ErrorRates } from './error-rates.ts';
import { fvcPairs, type Impression } from './fvc-protocol.ts';

export interface EvaluationResult {
  images: number;
  /** Impressions the extractor refused; every comparison with one counts as a non-match. */
  failuresToExtract: number;
  rates: ErrorRates;
  extractMsMean: number;
  comparesPerSecond: number;
}

/** Runs the FVC protocol on one core: extract every impression, then compare every pair once. */
export function evaluateImpressions(
  items: readonly { impression: Impression; image: GrayImage }[],
  onProgress: (done: number, total: number) => void = () => {},
): EvaluationResult {
  let extractMs = 0;
  let failuresToExtract = 0;
  const templates = items.map(({ impression, image }, k) => {
    const started = performance.now();
    let template: FingerprintTemplate;
    try {
      template = extractTemplate(image);
    } catch (error) {
      if (!(error instanceof ConcordError)) throw error;
      failuresToExtract++;
      template = { width: image.width, height: image.height, quality: 0, minutiae: [] };
    }
    extractMs += performance.now() - started;
    onProgress(k + 1, items.length);
    return { impression, template };
  });
  return { images: items.length, failuresToExtract, extractMsMean: extractMs / items.length, ...evaluateTemplates(templates) };
}

/** The FVC protocol's comparisons on templates already made (ours, or another system's). */
export function evaluateTemplates(items: readonly { impression: Impression; template: FingerprintTemplate }[]): Pick<EvaluationResult, 'rates' | 'comparesPerSecond'> {
  const prepared = items.map(({ template }) => prepareTemplate(template));
  const pairs = fvcPairs(items.map((item) => item.impression));
  const genuine: number[] = [];
  const impostor: number[] = [];
  const started = performance.now();
  for (const pair of pairs) {
    (pair.genuine ? genuine : impostor).push(compareTemplates(prepared[pair.a], prepared[pair.b]));
  }
  const compareSeconds = (performance.now() - started) / 1000;
  return { rates: computeErrorRates(genuine, impostor), comparesPerSecond: pairs.length / compareSeconds };
}
