import { api } from '../api.js';
import { fill, h, show } from '../dom.js';
import { errorBox } from '../render.js';

const KINDS = {
  iaq: 'Immigration match from a booking (IAQ)',
  idr: 'Immigration result (IDR)',
  hit_confirmation: 'Hit confirmation request',
  hit_confirmation_second: 'Hit confirmation — SECOND REQUEST',
  hit_confirmation_escalated: 'Hit confirmation escalated (no answer from the entering agency)',
  redress_correction: 'Correction of a record you received (redress)',
};
const STATES = { new: 'new', acknowledged: 'acknowledged', overdue: 'OVERDUE', confirmed: 'confirmed', not_confirmed: 'not confirmed' };

/** Alerts for the signed-in agency: their state, the time left on each deadline, and the answers. */
export async function alertsView() {
  show(h('h1', {}, 'Alerts'), h('p', { class: 'muted' }, 'Loading…'));
  const body = h('section', { 'aria-live': 'polite' });
  show(h('h1', {}, 'Alerts'), body);
  const load = async () => {
    try {
      fill(body, alertsTable([...(await api('GET', '/v1/notifications'))].reverse(), load));
    } catch (error) {
      fill(body, errorBox(error));
    }
  };
  await load();
}

function alertsTable(alerts, reload) {
  if (alerts.length === 0) return h('p', { class: 'muted' }, 'No alerts for your agency.');
  const countdowns = [];
  const answer = async (id, value) => {
    try {
      await api('POST', `/v1/notifications/${id}/answer`, { answer: value });
      await reload();
    } catch (error) {
      table.before(errorBox(error));
    }
  };
  const button = (label, id, value) => {
    const b = h('button', { type: 'button', class: 'link' }, label);
    b.addEventListener('click', () => answer(id, value));
    return b;
  };
  const table = h('table', { 'data-testid': 'alerts' },
    h('thead', {}, h('tr', {}, ['Received', 'Alert', 'Subject', 'Transaction', 'State', 'Answer due', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, alerts.map((a) => {
      const due = h('td', { class: 'countdown' }, a.deadline ? '' : '—');
      const open = a.state === 'new' || a.state === 'acknowledged' || a.state === 'overdue';
      if (a.deadline && open) countdowns.push([due, Date.parse(a.deadline)]);
      else if (a.deadline) due.textContent = 'answered';
      const actions = [
        a.state === 'new' ? button('Acknowledge', a.id, 'acknowledged') : null,
        a.kind.startsWith('hit_confirmation') && open ? [' ', button('Confirm hit', a.id, 'confirmed'), ' ', button('Not confirmed', a.id, 'not_confirmed')] : null,
      ];
      return h('tr', {}, h('td', {}, a.sentAt.replace('T', ' ').slice(0, 16)), h('td', {}, KINDS[a.kind] ?? a.kind), h('td', {}, a.subjectRef), h('td', {}, a.tcn), h('td', {}, STATES[a.state] ?? a.state), due, h('td', {}, actions));
    })),
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
  return table;
}
