/**
 * `npm run bench [-- section ...]`: runs the benchmarks and prints one table per section.
 * Sections load lazily so one can be run alone, e.g. `npm run bench -- accuracy`.
 * Accuracy needs the FVC2002 sets: set CONCORD_DATASETS to the folder holding fvc2002-db1b/ etc.
 * The decision section also reads the FVC2004 sets there when present.
 */
import { formatTable, type Row } from './table.ts';

type Table = { title: string; rows: Row[] };
/**
 * A section gets the options given (`--name`, `--name=value` or `--name value`) as written and as
 * parsed; with --json, a section that has a summary prints it as JSON on the last line.
 */
type Section = (args: readonly string[], flags: Record<string, string | true>) => Promise<Table[] | { tables: Table[]; json: unknown }>;

const sections: Record<string, Section> = {
  accuracy: async (_args, flags) => (await import('./accuracy.ts')).runAccuracyBench(flags),
  matcher: async () => (await import('./matcher-speed.ts')).runMatcherSpeedBench(),
  calibration: async (_args, flags) => (await import('./calibration.ts')).runCalibrationBench(flags),
  'ansi-nist': async () => [{ title: 'ANSI/NIST-ITL transactions and WSQ', rows: await (await import('./ansi-nist.ts')).runAnsiNistBench() }],
  system: async (_args, flags) => [{ title: 'The system under load', rows: await (await import('./system.ts')).runSystemBench(flags) }],
  shards: async (_args, flags) => [{ title: 'One process beside two matcher processes', rows: await (await import('./shards.ts')).runShardsBench(flags) }],
  portal: async () => [{ title: 'Officer portal', rows: await (await import('./portal.ts')).runPortalBench() }],
  privacy: async () => [{ title: 'Privacy overhead and audit verification', rows: await (await import('./privacy.ts')).runPrivacyBench() }],
  decision: async () => (await import('./decision.ts')).runDecisionBench(),
  synth: async () => [{ title: 'Synthetic fingerprints', rows: await (await import('./synth.ts')).runSynthBench() }],
  cluster: async (_args, flags) => [{ title: 'The cluster under load (separate processes)', rows: await (await import('./cluster.ts')).runClusterBench(flags) }],
  gallery: async (_args, flags) => {
    const { galleryOptions, runGalleryBench } = await import('./gallery.ts');
    return runGalleryBench(galleryOptions(flags));
  },
  faces: async (_args, flags) => (await import('./faces.ts')).runFacesBench(flags),
  'shared-state': async () => [{ title: 'Gateway state shared in the database', rows: await (await import('./shared-state.ts')).runSharedStateBench() }],
};

// Options (--name) go to every section named; `calibration --write` writes what it fits,
// `--synthetic-fingers N` sizes the synthetic set of `accuracy` and `calibration`, `gallery --fingers 100000 --json` sizes its gallery.
const wanted: string[] = [];
const options: string[] = [];
const flags: Record<string, string | true> = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const arg = argv[i];
  if (!arg.startsWith('--')) {
    wanted.push(arg);
    continue;
  }
  options.push(arg);
  const [name, value] = arg.slice(2).split('=', 2);
  if (value !== undefined) flags[name] = value;
  else if (i + 1 < argv.length && !argv[i + 1].startsWith('--') && !(argv[i + 1] in sections)) flags[name] = argv[++i];
  else flags[name] = true;
}
const unknown = wanted.filter((name) => !(name in sections));
if (unknown.length > 0) {
  process.stderr.write(`unknown section(s): ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}\n`);
  process.exit(2);
}
// Sections that take many minutes run only when named.
const onRequest = new Set(['gallery', 'cluster']);
for (const name of wanted.length > 0 ? wanted : Object.keys(sections).filter((n) => !onRequest.has(n))) {
  const started = performance.now();
  try {
    const result = await sections[name](options, flags);
    const tables = Array.isArray(result) ? result : result.tables;
    for (const table of tables) process.stdout.write(formatTable(table.title, table.rows));
    if (flags.json && !Array.isArray(result)) process.stdout.write(`${JSON.stringify(result.json)}\n`);
  } catch (error) {
    process.stdout.write(`\n${name}: failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
  process.stderr.write(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
