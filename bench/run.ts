/**
 * `npm run bench [-- section ...]`: runs the benchmarks and prints one table per section.
 * Sections load lazily so one can be run alone, e.g. `npm run bench -- accuracy`.
 * Accuracy needs the FVC2002 sets: set CONCORD_DATASETS to the folder holding fvc2002-db1b/ etc.
 * The decision section also reads the FVC2004 sets there when present.
 */
import { formatTable, type Row } from './table.ts';

type Section = (args: readonly string[]) => Promise<{ title: string; rows: Row[] }[]>;

const sections: Record<string, Section> = {
  accuracy: async () => (await import('./accuracy.ts')).runAccuracyBench(),
  matcher: async () => (await import('./matcher-speed.ts')).runMatcherSpeedBench(),
  calibration: async (args) => (await import('./calibration.ts')).runCalibrationBench(args),
  'ansi-nist': async () => [{ title: 'ANSI/NIST-ITL transactions and WSQ', rows: await (await import('./ansi-nist.ts')).runAnsiNistBench() }],
  system: async () => [{ title: 'The system under load', rows: await (await import('./system.ts')).runSystemBench() }],
  portal: async () => [{ title: 'Officer portal', rows: await (await import('./portal.ts')).runPortalBench() }],
  privacy: async () => [{ title: 'Privacy overhead and audit verification', rows: await (await import('./privacy.ts')).runPrivacyBench() }],
  decision: async () => (await import('./decision.ts')).runDecisionBench(),
  synth: async () => [{ title: 'Synthetic fingerprints', rows: await (await import('./synth.ts')).runSynthBench() }],
  'shared-state': async () => [{ title: 'Gateway state shared in the database', rows: await (await import('./shared-state.ts')).runSharedStateBench() }],
};

// Options (--name) go to every section named; `calibration --write` writes what it fits.
const options = process.argv.slice(2).filter((arg) => arg.startsWith('--'));
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0) {
  process.stderr.write(`unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(sections)) {
  const started = performance.now();
  try {
    for (const table of await sections[name](options)) process.stdout.write(formatTable(table.title, table.rows));
  } catch (error) {
    process.stdout.write(`\n${name}: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
  process.stderr.write(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
