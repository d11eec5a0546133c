import { readdir, readFile } from 'node:fs/promises';
import { extractTemplate } from '../src/biometrics/extraction/extract-template.ts';
import type { FingerprintTemplate, Minutia } from '../src/biometrics/template.ts';
import { moveMinutia, moveOrientationMap } from '../src/biometrics/move-print.ts';
import { readFingerprintImage } from '../src/infra/images/read-fingerprint-image.ts';
import { FVC_SETS, fvcTemplates } from './datasets.ts';

/**
 * Large galleries for benchmarks: real extracted templates (FVC2002 when available, else the test
 * fixtures), each copy moved, rotated, thinned and jittered so that no two are alike — the
 * minutiae counts and layouts of real prints, at any scale.
 */
/** Templates extracted from real prints. */
export async function baseTemplates(): Promise<FingerprintTemplate[]> {
  const templates: FingerprintTemplate[] = [];
  for (const set of FVC_SETS) for (const { template } of (await fvcTemplates(set)) ?? []) templates.push(template);
  if (templates.length > 0) return templates;
  const fixtures = new URL('../fixtures/fingerprints/', import.meta.url);
  for (const name of (await readdir(fixtures)).filter((n) => n.endsWith('.png'))) {
    templates.push(extractTemplate(await readFingerprintImage(await readFile(new URL(name, fixtures)))));
  }
  return templates;
}

/** A new impression-like copy: rotated up to ±30°, moved up to ±30 px, 20% of minutiae dropped, jittered. */
export function perturb(template: FingerprintTemplate, random: () => number): FingerprintTemplate {
  const angle = (random() - 0.5) * (Math.PI / 3);
  const [dx, dy] = [(random() - 0.5) * 60, (random() - 0.5) * 60];
  const motion = { cx: template.width / 2, cy: template.height / 2, rotation: angle, dx, dy };
  const minutiae: Minutia[] = [];
  for (const m of template.minutiae) {
    if (random() < 0.2) continue;
    const moved = moveMinutia(m, motion);
    const x = moved.x + (random() - 0.5) * 4;
    const y = moved.y + (random() - 0.5) * 4;
    if (x < 0 || y < 0 || x >= template.width || y >= template.height) continue;
    minutiae.push({ ...moved, x, y });
  }
  const moved = { ...template, minutiae };
  return template.orientation ? { ...moved, orientation: moveOrientationMap(template.orientation, motion) } : moved;
}
