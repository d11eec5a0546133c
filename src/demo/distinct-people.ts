import { GalleryShard } from '../biometrics/matching/gallery-shard.ts';
import { prepareTemplate } from '../biometrics/matching/prepared-template.ts';
import { decodeTemplate } from '../biometrics/template-codec.ts';
import { matchLevel } from '../repositories/shared/identification.ts';
import type { PrintResult } from './synthetic-prints.ts';

/**
 * The demo subjects, in order, whose synthetic prints the engine would take for a subject drawn
 * before them, by the repositories' own decision rule ("identified").
 *
 * The demo is meant to show what the system does with distinct people. Synthetic fingers are
 * far more alike than real ones (the score one impostor pair in a hundred reaches is about 13
 * between synthetic fingers, about 6 between FVC ones), so a small synthetic population can hold
 * two "people" that real calibration cannot tell apart. Such a subject is drawn anew; look-alikes
 * that only reach a possible match stay, since they show the examiner's part of the rule.
 */
export function lookAlikes(prints: readonly PrintResult[]): number[] {
  const gallery = new GalleryShard();
  const found: number[] = [];
  prints.forEach((print, k) => {
    const impressions = print.impressions.map((impression) =>
      impression.fingers.map((finger) => ({ position: finger.position, encoded: new Uint8Array(Buffer.from(finger.template, 'base64')) })),
    );
    const taken = impressions.some((fingers) => {
      const probe = fingers.map((f) => {
        const template = decodeTemplate(f.encoded);
        return { position: f.position, template: prepareTemplate(template), quality: template.quality };
      });
      const [best] = gallery.search(probe, 1, 0);
      return matchLevel(best) === 'identified';
    });
    if (taken) found.push(k);
    else for (const fingers of impressions) for (const f of fingers) gallery.add(String(k), f.position, f.encoded);
  });
  return found;
}
