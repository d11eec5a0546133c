import { api } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox } from '../render.js';

/** The privacy officer's console: is the audit chain intact, and who received what, when and why. */
export function privacyView() {
  const chain = h('div', { class: 'card', 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'The audit trail is hash-chained: any edit, deletion or reordering breaks it.'));
  const verify = h('button', { type: 'button' }, 'Verify the audit chain');
  verify.addEventListener('click', async () => {
    verify.disabled = true;
    try {
      const started = performance.now();
      const verdict = await api('GET', '/v1/audit/verify');
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      // Breaks a signed repair entry covers are listed whatever the verdict, as are all breaks left.
      const repaired = verdict.repaired.map((r) => h('li', {}, `Record ${r.seq}: ${r.reason} — repaired by entry ${r.repairSeq}: ${r.cause}`));
      const repairs = repaired.length ? h('div', { 'data-testid': 'chain-repaired' }, h('p', {}, 'Repaired breaks:'), h('ul', {}, repaired)) : null;
      fill(chain,
        verdict.ok
          ? h(
              'div',
              { class: 'banner green', 'data-testid': 'chain-status' },
              h('strong', {}, 'Audit chain intact'),
              `${verdict.records} records verified in ${seconds} s`,
              // Kept outside the system, the head lets a later check prove nothing before it was cut.
              h('p', { class: 'chain-head' }, 'Head, to keep outside the system: ', h('code', { 'data-testid': 'chain-head' }, `${verdict.head.seq}:${verdict.head.hash}`)),
              repairs,
            )
          : h(
              'div',
              { class: 'banner red', 'data-testid': 'chain-status' },
              h('strong', {}, `Audit chain broken at record ${verdict.firstBroken}`),
              verdict.reason,
              verdict.breaks.length > 1 ? h('ul', { 'data-testid': 'chain-breaks' }, verdict.breaks.map((b) => h('li', {}, `Record ${b.seq}: ${b.reason}`))) : null,
              repairs,
            ),
      );
    } catch (error) {
      fill(chain, errorBox(error));
    } finally {
      verify.disabled = false;
    }
  });
  const results = h('section', { 'aria-live': 'polite' });
  const disseminations = h('section', { 'aria-live': 'polite' });
  show(
    h('h1', {}, 'Privacy and audit'),
    chain,
    verify,
    h('h2', {}, 'Search the audit trail'),
    form(
      [
        h(
          'div',
          { class: 'grid' },
          field('Subject (FBI number or FIN)', h('input', { name: 'subject' })),
          field('User', h('input', { name: 'user' })),
          field('Agency (ORI)', h('input', { name: 'ori' })),
          field('Client address', h('input', { name: 'client' })),
          field('From', h('input', { name: 'from', type: 'date' })),
          field('To', h('input', { name: 'to', type: 'date' })),
          field('Only disclosures', h('select', { name: 'disclosures' }, h('option', { value: 'false' }, 'all events'), h('option', { value: 'true' }, 'disclosures only'))),
        ),
      ],
      'Search',
      async (data, status) => {
        const query = new URLSearchParams();
        for (const [key, value] of data) if (value) query.set(key, key === 'to' ? `${value}T23:59:59Z` : String(value));
        try {
          const entries = await api('GET', `/v1/audit?${query}`);
          fill(results, 
            entries.length === 0
              ? h('p', { class: 'muted' }, 'No matching audit records.')
              : h(
                  'table',
                  { 'data-testid': 'audit-results' },
                  h('thead', {}, h('tr', {}, ['#', 'When', 'Event', 'Outcome', 'User', 'Agency', 'Client', 'Purpose', 'Records', 'Fields released'].map((t) => h('th', {}, t)))),
                  h('tbody', {}, entries.map((e) => h('tr', {}, [e.seq, e.at.replace('T', ' ').slice(0, 19), e.event, e.outcome, e.userId ?? '', e.ori ?? '', e.client ?? '', e.purpose ?? '', e.recordIds.join(', '), e.fieldClasses.join(', ')].map((v) => h('td', {}, v))))),
                ),
          );
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Searching…',
    ),
    results,
    h('h2', {}, 'Secondary dissemination log'),
    h('p', { class: 'muted' }, 'Criminal history that officers passed on outside the original exchange, as they recorded it.'),
    form(
      [h('div', { class: 'grid' }, field('Record (FBI number or FIN)', h('input', { name: 'record' })), field('Releasing or requesting agency', h('input', { name: 'ori', placeholder: 'ORI' })))],
      'Show the log',
      async (data, status) => {
        const query = new URLSearchParams();
        for (const [key, value] of data) if (value) query.set(key, String(value).trim());
        try {
          fill(disseminations, disseminationTable(await api('GET', `/v1/disseminations?${query}`)));
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Searching…',
    ),
    disseminations,
  );
}

function disseminationTable(entries) {
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No secondary disseminations recorded.');
  return h(
    'table',
    { 'data-testid': 'dissemination-log' },
    h('thead', {}, h('tr', {}, ['Shared on', 'Record', 'Purpose', 'Requesting agency', 'Recipient', 'Method', 'Released by'].map((t) => h('th', {}, t)))),
    h('tbody', {}, entries.map((e) => h('tr', {}, [e.sharedOn, e.record, e.purpose, e.requestingOri ? `${e.requestingAgency} (${e.requestingOri})` : e.requestingAgency, e.recipient, e.method.replace('_', ' '), `${e.releasedBy}, ${e.releasedByOri}`].map((v) => h('td', {}, v))))),
  );
}
