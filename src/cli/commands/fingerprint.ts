import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { ConcordError } from '../../shared/errors.ts';
import { prepareTemplate } from '../../biometrics/matching/prepared-template.ts';
import { compareTemplates } from '../../biometrics/matching/compare-templates.ts';
import { fmrForScore, scoreForFmr } from '../../biometrics/matching/calibration.ts';
import { evaluateImpressions, type EvaluationResult } from '../../biometrics/evaluation/evaluate-impressions.ts';
import { renderDetCurve } from '../../biometrics/evaluation/det-curve.ts';
import { readFvcDirectory } from '../../infra/images/read-fvc-directory.ts';
import { encodeTemplateAs, loadFingerprint } from '../fingerprint-input.ts';

const USAGE = `usage:
  concord fingerprint extract IMAGE [--out FILE] [--format concord|iso19794-2|ansi378] [--ppi N]
  concord fingerprint compare IMAGE_OR_TEMPLATE IMAGE_OR_TEMPLATE [--ppi N]
  concord fingerprint eval DIR [--json] [--det FILE.svg] [--ppi N]
`;

export async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'extract':
      return extract(rest);
    case 'compare':
      return compare(rest);
    case 'eval':
      return evaluate(rest);
    default:
      process.stderr.write(USAGE);
      return 2;
  }
}

/** The resolution a user states for images whose files say nothing (or say it wrong); overrides theirs. */
function parsePpi(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ppi = Number(value);
  if (value.trim() === '' || !Number.isFinite(ppi) || ppi < 250 || ppi > 2000) {
    throw new ConcordError('BAD_ARGUMENT', `--ppi must be a resolution from 250 to 2000 pixels per inch, got "${value}"`, { field: 'ppi' });
  }
  return ppi;
}

async function extract(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, format: { type: 'string', default: 'concord' }, ppi: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'extract takes exactly one IMAGE');
  const started = performance.now();
  const template = await loadFingerprint(positionals[0], parsePpi(values.ppi));
  const elapsed = performance.now() - started;
  const bytes = encodeTemplateAs(template, values.format!);
  if (values.out) await writeFile(values.out, bytes);
  const types = { ending: 0, bifurcation: 0, other: 0 };
  for (const m of template.minutiae) types[m.type]++;
  process.stdout.write(
    `${positionals[0]}: ${template.minutiae.length} minutiae (${types.ending} endings, ${types.bifurcation} bifurcations), ` +
      `quality ${template.quality}, ${template.width}×${template.height} px, ${elapsed.toFixed(0)} ms` +
      (values.out ? `\nwrote ${values.format} template (${bytes.length} bytes) to ${values.out}\n` : '\n'),
  );
  return 0;
}

async function compare(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { ppi: { type: 'string' } } });
  if (positionals.length !== 2) throw new ConcordError('BAD_ARGUMENT', 'compare takes exactly two IMAGE_OR_TEMPLATE arguments');
  const ppi = parsePpi(values.ppi);
  const [a, b] = await Promise.all(positionals.map((path) => loadFingerprint(path, ppi)));
  const score = compareTemplates(prepareTemplate(a), prepareTemplate(b));
  const fmr = fmrForScore(score);
  const threshold = scoreForFmr(1e-4);
  process.stdout.write(
    `score ${score.toFixed(2)}  FMR ${formatFmr(fmr)}  ` +
      `${score >= threshold ? 'MATCH' : 'NO MATCH'} at FMR 1 in 10,000 (threshold ${threshold.toFixed(2)})\n`,
  );
  return 0;
}

function formatFmr(fmr: number): string {
  if (fmr >= 0.01) return `${(fmr * 100).toFixed(1)}%`;
  // Beyond a billion the calibration is an extrapolation of its tail; say no more than that.
  if (fmr < 1e-9) return 'below 1 in 1,000,000,000';
  return `1 in ${Math.round(1 / fmr).toLocaleString('en-US')}`;
}

async function evaluate(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, det: { type: 'string' }, ppi: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new ConcordError('BAD_ARGUMENT', 'eval takes exactly one DIR');
  const dir = positionals[0];
  const ppi = parsePpi(values.ppi);
  const items = await readFvcDirectory(dir, ppi);
  const progress = (done: number, total: number) => {
    if (!values.json) process.stderr.write(`\rextracting ${done}/${total}${done === total ? '\n' : ''}`);
  };
  const result = evaluateImpressions(items, progress);
  const { rates } = result;
  if (values.det) {
    await writeFile(values.det, renderDetCurve([{ label: basename(dir), curve: rates.curve, genuine: rates.genuine, impostor: rates.impostor }]));
  }
  if (values.json) {
    const summary = {
      eer: rates.eer,
      fnmr_at_fmr_1pct: rates.fnmrAtFmr1pct.fnmr,
      fnmr_at_fmr_01pct: rates.fnmrAtFmr01pct.fnmr,
      fnmr_at_fmr_0: rates.fnmrAtFmr0.fnmr,
      extract_ms_mean: result.extractMsMean,
      compares_per_s: result.comparesPerSecond,
      genuine: rates.genuine,
      impostor: rates.impostor,
      // The resolution stated by --ppi; null: as each file states it (500 ppi if it does not).
      ppi: ppi ?? null,
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    process.stdout.write(formatReport(dir, result, values.det));
  }
  return 0;
}

function formatReport(dir: string, result: EvaluationResult, det: string | undefined): string {
  const { rates } = result;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`.padStart(8);
  const at = (t: number) => `(threshold ${Number.isFinite(t) ? t.toFixed(2) : '∞'})`;
  return [
    `FVC protocol on ${dir}: ${result.images} images, ${rates.genuine} genuine and ${rates.impostor} impostor comparisons` +
      (result.failuresToExtract ? `, ${result.failuresToExtract} failures to extract` : ''),
    `  EER                ${pct(rates.eer)}  ${at(rates.eerThreshold)}`,
    `  FNMR @ FMR = 1%    ${pct(rates.fnmrAtFmr1pct.fnmr)}  ${at(rates.fnmrAtFmr1pct.threshold)}`,
    `  FNMR @ FMR = 0.1%  ${pct(rates.fnmrAtFmr01pct.fnmr)}  ${at(rates.fnmrAtFmr01pct.threshold)}`,
    `  FNMR @ FMR = 0     ${pct(rates.fnmrAtFmr0.fnmr)}  ${at(rates.fnmrAtFmr0.threshold)}`,
    `  extraction         ${result.extractMsMean.toFixed(1)} ms per image (mean, one core)`,
    `  comparisons        ${Math.round(result.comparesPerSecond).toLocaleString('en-US')} per second (one core)`,
    ...(det ? [`  DET curve          ${det}`] : []),
    '',
  ].join('\n');
}

