import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The FVC2002 development sets, when CONCORD_DATASETS points at the folder that holds them. */
export const FVC_SETS = [
  { name: 'fvc2002-db1b', ppi: 500 },
  { name: 'fvc2002-db2b', ppi: 569 },
] as const;

export function datasetDir(name: string): string | undefined {
  const root = process.env.CONCORD_DATASETS;
  if (!root) return undefined;
  const dir = join(root, name);
  return existsSync(dir) ? dir : undefined;
}
