import { api } from '../api.js';
import { fill, h, s, show } from '../dom.js';
import { errorBox } from '../render.js';

const TOT_LABELS = { encounter: 'port enrollments', booking: 'bookings', identify: 'rapid identifications' };
const TOT_COLORS = { encounter: '#0f6f7c', booking: '#6b3fa0', identify: '#1f4e8c' };
const COLOR_FILLS = { red: '#b3121f', amber: '#b86e00', green: '#1d7a38' };
const REFRESH_MS = 10_000;

/** Operational metrics (domain brief §9) as charts, refreshed while the screen is open. */
export function dashboardView() {
  const body = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
  show(h('h1', {}, 'Dashboard'), h('p', { class: 'muted' }, 'Last 14 days, from the gateway’s transaction records; refreshed every 10 s.'), body);
  const refresh = async () => {
    try {
      fill(body, render(await api('GET', '/v1/metrics?days=14')));
    } catch (error) {
      fill(body, errorBox(error));
    }
  };
  refresh();
  const timer = setInterval(() => (document.body.contains(body) ? refresh() : clearInterval(timer)), REFRESH_MS);
}

function render(m) {
  const total = m.perDay.reduce((sum, d) => sum + d.count, 0);
  return [
    h('div', { class: 'grid', 'data-testid': 'dashboard' },
      tile('Transactions', total),
      tile('Rapid IDs red', m.rapidIdentification.red ?? 0),
      tile('Referred to secondary', m.enrollmentDecisions.refer_secondary ?? 0),
      tile('Immigration matches sent to ICE', m.notifications.iaq ?? 0),
      tile('Hit confirmations requested', m.notifications.hit_confirmation ?? 0),
      tile('Refusals (access, policy, input)', m.refusals),
    ),
    h('h2', {}, 'Transactions per day'),
    perDayChart(m.perDay),
    h('h2', {}, 'Response times'),
    h('p', { class: 'muted' }, 'From the gateway receiving a transaction (prints already extracted) to its answer being recorded.'),
    h('table', {},
      h('thead', {}, h('tr', {}, ['Type', 'Count', 'p50', 'p95', 'p99'].map((t) => h('th', {}, t)))),
      h('tbody', {}, m.responseTimes.map((r) => h('tr', {}, h('td', {}, TOT_LABELS[r.tot] ?? r.tot), h('td', {}, r.count), h('td', {}, `${r.p50Ms} ms`), h('td', {}, `${r.p95Ms} ms`), h('td', {}, `${r.p99Ms} ms`)))),
    ),
    h('h2', {}, 'Rapid identification answers'),
    barChart(['red', 'amber', 'green'].map((c) => [c, m.rapidIdentification[c] ?? 0, COLOR_FILLS[c]])),
  ];
}

function tile(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'big' }, String(value)));
}

/** Stacked bars, one per day, one colour per transaction type. */
function perDayChart(perDay) {
  const days = [...new Set(perDay.map((d) => d.day))].sort();
  if (days.length === 0) return h('p', { class: 'muted' }, 'No transactions yet.');
  const width = 720, height = 180, pad = 24;
  const totals = days.map((day) => perDay.filter((d) => d.day === day).reduce((sum, d) => sum + d.count, 0));
  const max = Math.max(...totals, 1);
  const step = Math.min(60, (width - pad) / days.length);
  const bars = days.flatMap((day, k) => {
    let y = height - pad;
    return perDay.filter((d) => d.day === day).map((d) => {
      const barHeight = ((height - 2 * pad) * d.count) / max;
      y -= barHeight;
      return s('rect', { x: pad + k * step + 2, y, width: Math.max(2, step - 4), height: barHeight, fill: TOT_COLORS[d.tot] ?? '#888' }, s('title', {}, `${day}: ${d.count} ${TOT_LABELS[d.tot] ?? d.tot}`));
    });
  });
  const labels = days.map((day, k) => s('text', { x: pad + k * step + step / 2, y: height - 6, 'text-anchor': 'middle', 'font-size': 11 }, day.slice(5)));
  const legend = Object.entries(TOT_LABELS).map(([tot, label], k) => s('text', { x: pad + k * 190, y: 12, 'font-size': 12, fill: TOT_COLORS[tot] }, `■ ${label}`));
  return s('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': 'Transactions per day by type' }, s('text', { x: 0, y: pad + 10, 'font-size': 11 }, String(max)), bars, labels, legend);
}

function barChart(items) {
  const width = 720, rowHeight = 26;
  const max = Math.max(...items.map(([, value]) => value), 1);
  return s('svg', { viewBox: `0 0 ${width} ${items.length * rowHeight}`, width: '100%', role: 'img', 'aria-label': items.map(([l, v]) => `${l} ${v}`).join(', ') },
    items.map(([label, value, color], k) => [
      s('text', { x: 0, y: k * rowHeight + 17, 'font-size': 13 }, label),
      s('rect', { x: 70, y: k * rowHeight + 4, width: ((width - 140) * value) / max, height: rowHeight - 8, fill: color }),
      s('text', { x: 76 + ((width - 140) * value) / max, y: k * rowHeight + 17, 'font-size': 13 }, String(value)),
    ]),
  );
}
