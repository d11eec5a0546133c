import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { readFvcDirectory } from '../src/infra/images/read-fvc-directory.ts';
import { extractAll } from './pair-scores.ts';

/** The FVC2002 development sets, when CONCORD_DATASETS points at the folder that holds them. */
export const FVC_SETS = [
  { name: 'fvc2002-db1b', ppi: 500 },
  { name: 'fvc2002-db2b', ppi: 569 },
] as const;

/** The harder FVC2004 sets (distorted, dry and wet, thermal sweep), for sections that measure beyond the calibration's sets. */
export const FVC2004_SETS = [
  { name: 'fvc2004-db1b', ppi: 500 },
  { name: 'fvc2004-db3b', ppi: 512 },
] as const;

/** The four development sets: parameters are chosen on three and the error stated on the fourth. */
export const DEVELOPMENT_SETS = [...FVC_SETS, ...FVC2004_SETS] as const;

export type FvcSet = (typeof DEVELOPMENT_SETS)[number];

export function datasetDir(name: string): string | undefined {
  const root = process.env.CONCORD_DATASETS;
  if (!root) return undefined;
  const dir = join(root, name);
  return existsSync(dir) ? dir : undefined;
}

export interface FvcTemplate {
  finger: string;
  impression: string;
  template: FingerprintTemplate;
}

const extracted = new Map<string, Promise<FvcTemplate[] | undefined>>();

/**
 * A set's images read and extracted (on every core), once per bench run however many sections use them (the
 * accuracy section times its own extraction and does not use this); undefined if not found.
 */
export function fvcTemplates(set: FvcSet): Promise<FvcTemplate[] | undefined> {
  let templates = extracted.get(set.name);
  if (!templates) {
    const dir = datasetDir(set.name);
    templates = dir
      ? readFvcDirectory(dir, set.ppi).then(async (items) => {
          const templates = await extractAll(items.map((item) => item.image));
          return items.map(({ impression }, k) => ({ finger: impression.finger, impression: impression.impression, template: templates[k] }));
        })
      : Promise.resolve(undefined);
    extracted.set(set.name, templates);
  }
  return templates;
}
