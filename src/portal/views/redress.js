import { api, session } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox } from '../render.js';

const KINDS = {
  identity_merge: 'Identity conflict raised in error (immigration)',
  overstay_error: 'Overstay recorded in error (immigration)',
  record_challenge: 'Challenge of an arrest (criminal)',
};

/**
 * Redress: the privacy officer logs requests; the analyst of the owning repository corrects or
 * declines with a reason; agencies that received the record are told (listed on the case).
 */
export async function redressView() {
  const role = session()?.user.role;
  const queue = h('section', { 'aria-live': 'polite' });
  const load = async () => {
    try {
      fill(queue, casesTable(await api('GET', '/v1/redress'), role === 'privacy_officer' ? undefined : load));
    } catch (error) {
      fill(queue, errorBox(error));
    }
  };
  const opening =
    role === 'privacy_officer'
      ? form(
          [
            h('h2', {}, 'Log a redress request'),
            h(
              'div',
              { class: 'grid' },
              field('Subject (FIN or FBI number)', h('input', { name: 'subject', required: true })),
              field('Request', h('select', { name: 'kind' }, Object.entries(KINDS).map(([value, label]) => h('option', { value }, label)))),
              field('Arrest challenged (TCN)', h('input', { name: 'arrestTcn' })),
              field('What the person says', h('input', { name: 'description', required: true })),
            ),
          ],
          'Log request',
          async (data, status) => {
            try {
              await api('POST', '/v1/redress', Object.fromEntries(data));
              await load();
            } catch (error) {
              fill(status, errorBox(error));
            }
          },
          'Logging…',
        )
      : null;
  show(h('h1', {}, 'Redress'), opening, h('h2', {}, 'Cases'), queue);
  await load();
}

function casesTable(cases, reload) {
  if (cases.length === 0) return h('p', { class: 'muted' }, 'No redress cases.');
  return h('table', { 'data-testid': 'redress-cases' },
    h('thead', {}, h('tr', {}, ['#', 'Opened', 'Subject', 'Request', 'Status', 'Reason', 'Agencies notified', ''].map((t) => h('th', {}, t)))),
    h('tbody', {}, cases.map((c) => h('tr', {},
      h('td', {}, c.id),
      h('td', {}, c.openedAt.slice(0, 10)),
      h('td', {}, c.subject),
      h('td', {}, `${KINDS[c.kind] ?? c.kind}${c.arrestTcn ? ` — ${c.arrestTcn}` : ''}: ${c.description}`),
      h('td', {}, c.status),
      h('td', {}, c.reason ?? ''),
      h('td', {}, c.notified.join(', ')),
      h('td', {}, reload && c.status === 'open' ? decision(c, reload) : null),
    ))),
  );
}

function decision(c, reload) {
  const reason = h('input', { 'aria-label': `Reason for case ${c.id}`, placeholder: 'reason' });
  const decide = (outcome) => {
    const b = h('button', { type: 'button', class: 'link' }, outcome === 'corrected' ? 'Correct' : 'Decline');
    b.addEventListener('click', async () => {
      try {
        await api('POST', `/v1/redress/${c.id}/decision`, { outcome, reason: reason.value });
        await reload();
      } catch (error) {
        b.replaceWith(errorBox(error));
      }
    });
    return b;
  };
  return h('span', {}, reason, ' ', decide('corrected'), ' ', decide('declined'));
}
