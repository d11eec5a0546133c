import type { OperatingPoint } from './error-rates.ts';

/**
 * A DET curve (FNMR against FMR, both on log scales) as a standalone SVG document. Zero rates are
 * drawn at the axis floor, 1 / (number of comparisons), so a perfect region stays visible.
 */
export function renderDetCurve(
  series: { label: string; curve: readonly OperatingPoint[]; genuine: number; impostor: number }[],
): string {
  const width = 560;
  const height = 460;
  const margin = { left: 70, right: 20, top: 30, bottom: 60 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const minExp = -Math.ceil(Math.log10(Math.max(...series.map((s) => Math.max(s.genuine, s.impostor)))));
  const toX = (fmr: number) => margin.left + ((Math.log10(Math.max(fmr, 10 ** minExp)) - minExp) / -minExp) * plotW;
  const toY = (fnmr: number) => margin.top + plotH - ((Math.log10(Math.max(fnmr, 10 ** minExp)) - minExp) / -minExp) * plotH;
  const colours = ['#1f5fa8', '#c0392b', '#2e8b57', '#8e44ad'];

  const grid: string[] = [];
  for (let e = minExp; e <= 0; e++) {
    const label = e === 0 ? '100%' : `${+(100 * 10 ** e).toPrecision(1)}%`;
    grid.push(`<line x1="${toX(10 ** e)}" y1="${margin.top}" x2="${toX(10 ** e)}" y2="${margin.top + plotH}" class="grid"/>`);
    grid.push(`<line x1="${margin.left}" y1="${toY(10 ** e)}" x2="${margin.left + plotW}" y2="${toY(10 ** e)}" class="grid"/>`);
    grid.push(`<text x="${toX(10 ** e)}" y="${margin.top + plotH + 18}" text-anchor="middle">${label}</text>`);
    grid.push(`<text x="${margin.left - 8}" y="${toY(10 ** e) + 4}" text-anchor="end">${label}</text>`);
  }
  const lines = series.map((s, k) => {
    const points = s.curve.map((p) => `${toX(p.fmr).toFixed(1)},${toY(p.fnmr).toFixed(1)}`).join(' ');
    const colour = colours[k % colours.length];
    return `<polyline points="${points}" fill="none" stroke="${colour}" stroke-width="2"/>` +
      `<text x="${margin.left + plotW - 8}" y="${margin.top + 18 + k * 18}" text-anchor="end" fill="${colour}">${escapeXml(s.label)}</text>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<style>.grid{stroke:#ddd;stroke-width:1}</style>',
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="#fff" stroke="#888"/>`,
    ...grid,
    ...lines,
    `<text x="${margin.left + plotW / 2}" y="${height - 18}" text-anchor="middle">false match rate (FMR)</text>`,
    `<text x="18" y="${margin.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 18 ${margin.top + plotH / 2})">false non-match rate (FNMR)</text>`,
    `<text x="${width / 2}" y="18" text-anchor="middle" font-weight="bold">DET curve</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
