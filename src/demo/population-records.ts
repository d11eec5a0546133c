import { populationTemplate } from '../biometrics/population/population-template.ts';
import { encodeTemplate } from '../biometrics/template-codec.ts';
import type { FingerprintTemplate } from '../biometrics/template.ts';
import type { Database, Sql } from '../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from '../repositories/shared/template-sealer.ts';

/**
 * A background population for the criminal repository: records of synthetic people, every finger
 * a distinct one of the synthetic population (`src/biometrics/population`), written straight into
 * the repository's tables as its node stores them (templates sealed with the deployment's key),
 * in bulk rather than booking by booking. Benchmarks, and `concord serve --population N`, use it
 * to show the system at scale; its people have an identity and prints, no arrest.
 */
export const populationFbiNumber = (i: number) => `${9000000 + i}SB`;

/** The population seed of subject i's finger at `position`: no two fingers share one. */
export const fingerSeed = (i: number, position: number) => 1 + i * 10 + (position - 1);

/** The stored finger itself, for genuine probes made from it. */
export function populationFinger(i: number, position: number): FingerprintTemplate {
  return populationTemplate(fingerSeed(i, position));
}

/**
 * Adds subjects `from` … `to − 1` of the population to a migrated criminal database, in
 * transactions of about 2,000 fingers; `progress` hears the subjects written so far.
 */
export async function seedCriminalPopulation(
  db: Database,
  sealer: TemplateSealer,
  range: { from: number; to: number },
  positions: readonly number[],
  progress: (written: number) => void = () => {},
): Promise<void> {
  const batch = Math.max(1, Math.floor(2000 / positions.length));
  for (let start = range.from; start < range.to; start += batch) {
    const ids = Array.from({ length: Math.min(batch, range.to - start) }, (_, k) => start + k);
    await db.transaction(async (tx) => {
      await insertRows(tx, 'subjects (fbi_number)', ids.map((i) => [populationFbiNumber(i)]));
      await insertRows(tx, 'identities (fbi_number, family, given, dob)', ids.map((i) => [populationFbiNumber(i), `POPULATION${i}`, 'PERSON', '1970-01-01']));
      await insertRows(
        tx,
        'samples (fbi_number, position, template, quality, tcn)',
        ids.flatMap((i) => positions.map((p) => [populationFbiNumber(i), p, sealer.seal(encodeTemplate(populationFinger(i, p)), sealedFor('samples.template', populationFbiNumber(i), p)), 80, `POPULATION-${i}`])),
      );
    });
    progress(start + ids.length - range.from);
  }
}

/** How many population subjects a criminal database holds (they are written in order, from 0). */
export async function populationSize(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM subjects WHERE fbi_number LIKE '9%SB'`);
  return Number(row.n);
}

export async function insertRows(tx: Sql, target: string, rows: unknown[][]): Promise<void> {
  const values: unknown[] = [];
  const tuples = rows.map((row) => `(${row.map((value) => `$${values.push(value)}`).join(', ')})`);
  await tx.query(`INSERT INTO ${target} VALUES ${tuples.join(', ')}`, values);
}
