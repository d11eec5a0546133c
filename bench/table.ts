/** Benchmarks report rows of named values; this prints them as an aligned plain-text table. */
export type Row = Record<string, string | number>;

export function formatTable(title: string, rows: readonly Row[]): string {
  if (rows.length === 0) return `${title}\n  (no rows)\n`;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: string | number | undefined) =>
    value === undefined ? '' : typeof value === 'number' ? formatNumber(value) : value;
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  return [
    `\n${title}\n`,
    line(columns),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(columns.map((c) => cell(r[c])))),
    '',
  ].join('\n');
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** A whole-number bench option (`--name N` or `--name=N`), or `fallback` when not given. */
export function optionValue(flags: Readonly<Record<string, string | true>>, name: string, fallback: number): number {
  const given = flags[name];
  if (given === undefined) return fallback;
  const value = Number(given);
  if (given === true || !Number.isInteger(value) || value < 0) throw new RangeError(`--${name} takes a whole number, got ${String(given)}`);
  return value;
}
