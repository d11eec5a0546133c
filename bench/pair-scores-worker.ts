import { parentPort, workerData } from 'node:worker_threads';
import { extractTemplate } from '../src/biometrics/extraction/extract-template.ts';
import { compareTemplates } from '../src/biometrics/matching/compare-templates.ts';
import { prepareTemplate } from '../src/biometrics/matching/prepared-template.ts';
import type { GrayImage } from '../src/biometrics/gray-image.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { ConcordError } from '../src/shared/errors.ts';
import type { PairTask } from './pair-scores.ts';

// One share of the bench's bulk work in a thread of its own: extraction of some images, or the
// scores of some rows of an all-pairs triangle.
const task = workerData.task as PairTask;
if (task.kind === 'extract') {
  // A refused image stays in as an empty template, as the FVC protocol counts it: it matches nothing.
  const extract = (image: GrayImage): FingerprintTemplate => {
    try {
      return extractTemplate(image);
    } catch (error) {
      if (!(error instanceof ConcordError)) throw error;
      return { width: image.width, height: image.height, quality: 0, minutiae: [] };
    }
  };
  parentPort!.postMessage(task.images.map(extract));
} else {
  const prepared = task.templates.map(prepareTemplate);
  const rows = task.rows.map((a) => {
    const scores = new Float32Array(prepared.length - a - 1);
    for (let b = a + 1; b < prepared.length; b++) scores[b - a - 1] = compareTemplates(prepared[a], prepared[b]);
    return scores;
  });
  parentPort!.postMessage(rows);
}
