import { api } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox, oneStop } from '../render.js';

export const PURPOSES = {
  C: 'C — criminal justice',
  I: 'I — immigration',
  J: 'J — criminal justice employment',
  F: 'F — firearms',
  H: 'H — housing',
  V: 'V — visa',
  S: 'S — security clearance',
  A: 'A — administrative',
  D: 'D — domestic violence',
  R: 'R — research (anonymised)',
  X: 'X — exigent circumstances',
};

/** One-stop history of a subject, by FBI number or FIN, for a stated purpose. */
export function historyView(params) {
  const result = h('section', { 'aria-live': 'polite' });
  const id = h('input', { name: 'id', required: true, value: params.get('id') ?? '', placeholder: 'FBI number or FIN' });
  const purpose = h('select', { name: 'purpose', required: true }, h('option', { value: '' }, 'Choose a purpose…'), Object.entries(PURPOSES).map(([code, label]) => h('option', { value: code }, label)));
  show(
    h('h1', {}, 'Subject history'),
    form([h('div', { class: 'grid' }, field('Subject', id), field('Purpose', purpose))], 'Show history', async (data, status) => {
      fill(result);
      try {
        const query = new URLSearchParams({ purpose: String(data.get('purpose') ?? '') });
        const history = await api('GET', `/v1/subjects/${encodeURIComponent(String(data.get('id')).trim())}/history?${query}`);
        fill(result, h('h2', {}, `Subject ${history.subject}`), ...oneStop(history));
      } catch (error) {
        fill(status, errorBox(error));
      }
    }, 'Asking both repositories…'),
    result,
  );
}
