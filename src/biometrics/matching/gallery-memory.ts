import { totalmem } from 'node:os';
import { ConcordError } from '../../shared/errors.ts';

/**
 * What a gallery costs in memory, and how much it may use. A gallery that would outgrow its
 * allowance refuses the finger that would take it over (GALLERY_TOO_LARGE, with the figures)
 * instead of growing until the operating system kills the process.
 */

/** Memory per finger held for search (template, pair list and index: 1,865 B at 1,000,000 fingers and 1,982 B at 100,000 by `npm run bench -- gallery`), rounded up; subjects' bookkeeping comes on top. */
export const BYTES_PER_FINGER = 2048;
/** Memory that does not grow with the gallery: worker threads, code, search scratch of a small gallery. */
const FIXED_BYTES = 256 * 1024 * 1024;

/** The allowance: CONCORD_GALLERY_MEMORY_MB, else 70% of the machine's memory. */
export function galleryMemoryLimit(env: NodeJS.ProcessEnv = process.env): number {
  const setting = env.CONCORD_GALLERY_MEMORY_MB;
  if (setting === undefined || setting === '') return Math.floor(0.7 * totalmem());
  const mb = Number(setting);
  if (!Number.isInteger(mb) || mb < 1) throw new ConcordError('BAD_CONFIG', `CONCORD_GALLERY_MEMORY_MB must be a whole number of megabytes ≥ 1, got "${setting}"`, { variable: 'CONCORD_GALLERY_MEMORY_MB' });
  return mb * 1024 * 1024;
}

/** Throws GALLERY_TOO_LARGE when `fingers` would not fit in `limitBytes`. */
export function checkGalleryFits(fingers: number, limitBytes: number): void {
  const needed = FIXED_BYTES + fingers * BYTES_PER_FINGER;
  if (needed <= limitBytes) return;
  const mb = (bytes: number) => Math.ceil(bytes / (1024 * 1024));
  throw new ConcordError(
    'GALLERY_TOO_LARGE',
    `a gallery of ${fingers.toLocaleString('en')} fingers needs about ${mb(needed).toLocaleString('en')} MB (${BYTES_PER_FINGER.toLocaleString('en')} bytes a finger and ${mb(FIXED_BYTES)} MB besides), more than the ${mb(limitBytes).toLocaleString('en')} MB this process is given (CONCORD_GALLERY_MEMORY_MB); ` +
      `give it more memory or split the gallery into shards`,
    { fingers, neededMB: mb(needed), limitMB: mb(limitBytes) },
  );
}
