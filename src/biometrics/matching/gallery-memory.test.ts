import { describe, expect, it } from 'vitest';
import { populationTemplate } from '../population/population-template.ts';
import { BYTES_PER_FINGER, galleryMemoryLimit } from './gallery-memory.ts';
import { FingerprintGallery } from './gallery.ts';

describe('gallery memory allowance', () => {
  it('refuses the finger that would take a gallery past its allowance, with the figures, and keeps what it holds', async () => {
    const gallery = new FingerprintGallery({ workers: 0, memoryLimitBytes: 256 * 1024 * 1024 + 3 * BYTES_PER_FINGER });
    for (let k = 0; k < 3; k++) gallery.add(`S${k}`, 2, populationTemplate(k + 1));
    expect(() => gallery.add('S3', 2, populationTemplate(4))).toThrow(expect.objectContaining({ code: 'GALLERY_TOO_LARGE', where: { fingers: 4, neededMB: 257, limitMB: 257 } }));
    expect(gallery.size).toBe(3);
    const [best] = await gallery.search([{ position: 2, template: populationTemplate(2) }]);
    expect(best.subjectId).toBe('S1');
  });

  it('reads its allowance from CONCORD_GALLERY_MEMORY_MB and refuses a setting that is not a number of megabytes', () => {
    expect(galleryMemoryLimit({ CONCORD_GALLERY_MEMORY_MB: '2048' })).toBe(2048 * 1024 * 1024);
    expect(galleryMemoryLimit({})).toBeGreaterThan(0);
    expect(() => galleryMemoryLimit({ CONCORD_GALLERY_MEMORY_MB: '2GB' })).toThrow(expect.objectContaining({ code: 'BAD_CONFIG' }));
  });
});
