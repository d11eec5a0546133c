import { api } from '../api.js';
import { h, show } from '../dom.js';
import { errorBox } from '../render.js';

const KINDS = { iaq: 'Immigration match from a booking (IAQ)', idr: 'Immigration result (IDR)', hit_confirmation: 'Hit confirmation request' };

/** Alerts for the signed-in agency, with the time left on each hit-confirmation deadline. */
export async function alertsView() {
  show(h('h1', {}, 'Alerts'), h('p', { class: 'muted' }, 'Loading…'));
  try {
    const alerts = await api('GET', '/v1/notifications');
    const rows = [...alerts];
    const countdowns = [];
    const table = h(
      'table',
      { 'data-testid': 'alerts' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Received'), h('th', {}, 'Alert'), h('th', {}, 'Subject'), h('th', {}, 'Transaction'), h('th', {}, 'Answer due'))),
      h(
        'tbody',
        {},
        rows.reverse().map((a) => {
          const due = h('td', { class: 'countdown' }, a.deadline ? '' : '—');
          if (a.deadline) countdowns.push([due, Date.parse(a.deadline)]);
          return h('tr', {}, h('td', {}, a.sentAt.replace('T', ' ').slice(0, 16)), h('td', {}, KINDS[a.kind] ?? a.kind), h('td', {}, a.subjectRef), h('td', {}, a.tcn), due);
        }),
      ),
    );
    const tick = () => {
      for (const [cell, deadline] of countdowns) {
        const left = deadline - Date.now();
        cell.textContent = left > 0 ? `${Math.floor(left / 60000)} min ${Math.floor((left % 60000) / 1000)} s left` : 'OVERDUE';
        cell.classList.toggle('overdue', left <= 0);
      }
    };
    tick();
    const timer = setInterval(() => (document.body.contains(table) ? tick() : clearInterval(timer)), 1000);
    show(h('h1', {}, 'Alerts'), rows.length ? table : h('p', { class: 'muted' }, 'No alerts for your agency.'));
  } catch (error) {
    show(h('h1', {}, 'Alerts'), errorBox(error));
  }
}
