import type { GrayImage } from '../gray-image.ts';
import { renderImpression, type CaptureVariation } from './impression.ts';
import { generateMaster, type MasterOptions } from './master-fingerprint.ts';

/** One master and the impressions wanted of it: the unit of work handed to a worker thread. */
export interface SynthesisJob {
  masterSeed: number;
  master?: MasterOptions;
  impressions: { seed: number; rolled?: boolean; capture?: CaptureVariation }[];
}

export function runSynthesisJob(job: SynthesisJob): GrayImage[] {
  const master = generateMaster(job.masterSeed, job.master);
  return job.impressions.map((impression) => renderImpression(master, impression.seed, { rolled: impression.rolled, capture: impression.capture }));
}
