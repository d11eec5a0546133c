/**
 * Synthetic fingerprints in the spirit of SFinGe (Cappelli, Maio, Maltoni): master fingers grown
 * from a seed, impressions of them as a sensor would capture them, and ten-print sets. Pure and
 * deterministic: the same seeds and options give the same bytes on any machine.
 */
export { generateMaster, MASTER_HEIGHT, MASTER_WIDTH, type MasterFingerprint, type MasterOptions } from './master-fingerprint.ts';
export { CAPTURE_DIFFICULTY, renderImpression, type CaptureDifficulty, type CaptureVariation, type ImpressionOptions } from './impression.ts';
export { masterMinutiae } from './master-minutiae.ts';
export { CLASS_FREQUENCIES, FINGER_CLASSES, type FingerClass, type SingularPoints } from './orientation-model.ts';
export { generateTenPrint, subjectFinger, FINGER_POSITIONS, type TenPrintOptions } from './ten-print.ts';
export { mixSeed } from './random.ts';
export { synthesizeInParallel } from './parallel-synthesis.ts';
export { runSynthesisJob, type SynthesisJob } from './synthesis-job.ts';

/** Bumped whenever the generator's output changes, so caches of synthetic images expire. */
export const SYNTHESIS_VERSION = 2;
