import type { Config } from '../src/infra/config.ts';
import type { TemplateSealer } from '../src/repositories/shared/template-sealer.ts';
import { migrate } from '../src/infra/db/migrate.ts';
import { openNodeDatabase } from '../src/infra/db/open-node-database.ts';
import { criminalMigrations } from '../src/repositories/criminal/migrations.ts';
import { seedCriminalPopulation } from '../src/demo/population-records.ts';

export { insertRows, populationFbiNumber as benchFbiNumber, populationFinger as seededFinger } from '../src/demo/population-records.ts';

/** A large criminal repository for benchmarks: `subjects` people of the synthetic population with `positions` fingers each. */
export async function seedCriminalGallery(config: Config, sealer: TemplateSealer, subjects: number, positions: readonly number[]): Promise<void> {
  const criminal = await openNodeDatabase(config, 'criminal');
  try {
    await migrate(criminal, criminalMigrations);
    await seedCriminalPopulation(criminal, sealer, { from: 0, to: subjects }, positions);
  } finally {
    await criminal.close();
  }
}
