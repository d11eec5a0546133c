import { populationTemplate } from '../src/biometrics/population/population-template.ts';
import { encodeTemplate } from '../src/biometrics/template-codec.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import type { Config } from '../src/infra/config.ts';
import type { TemplateSealer } from '../src/repositories/shared/template-sealer.ts';
import { sealedFor } from '../src/repositories/shared/template-sealer.ts';
import type { Sql } from '../src/infra/db/database.ts';
import { migrate } from '../src/infra/db/migrate.ts';
import { openNodeDatabase } from '../src/infra/db/open-node-database.ts';
import { criminalMigrations } from '../src/repositories/criminal/migrations.ts';

/**
 * A large criminal repository for benchmarks, written straight into its tables as the node
 * would have stored it (templates sealed with the deployment's key): `subjects` people with
 * `positions` fingers each, every finger a distinct one of the synthetic population.
 */
export const benchFbiNumber = (i: number) => `${9000000 + i}SB`;

/** The population seed of subject i's finger at `position`: no two fingers share one. */
export const fingerSeed = (i: number, position: number) => 1 + i * 10 + (position - 1);

export async function seedCriminalGallery(config: Config, sealer: TemplateSealer, subjects: number, positions: readonly number[]): Promise<void> {
  const criminal = await openNodeDatabase(config, 'criminal');
  try {
    await migrate(criminal, criminalMigrations);
    const batch = Math.max(1, Math.floor(2000 / positions.length));
    for (let start = 0; start < subjects; start += batch) {
      const ids = Array.from({ length: Math.min(batch, subjects - start) }, (_, k) => start + k);
      await criminal.transaction(async (tx) => {
        await insertRows(tx, 'subjects (fbi_number)', ids.map((i) => [benchFbiNumber(i)]));
        await insertRows(tx, 'identities (fbi_number, family, given, dob)', ids.map((i) => [benchFbiNumber(i), `SEEDED${i}`, 'PERSON', '1970-01-01']));
        await insertRows(
          tx,
          'samples (fbi_number, position, template, quality, tcn)',
          ids.flatMap((i) => positions.map((p) => [benchFbiNumber(i), p, sealer.seal(encodeTemplate(populationTemplate(fingerSeed(i, p))), sealedFor('samples.template', benchFbiNumber(i), p)), 80, `SEED-${i}`])),
        );
      });
    }
  } finally {
    await criminal.close();
  }
}

/** The stored finger itself, for genuine probes made from it. */
export function seededFinger(i: number, position: number): FingerprintTemplate {
  return populationTemplate(fingerSeed(i, position));
}

export async function insertRows(tx: Sql, target: string, rows: unknown[][]): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(', ')})`);
  await tx.query(`INSERT INTO ${target} VALUES ${tuples.join(', ')}`, values);
}
