import { api, ApiError } from '../api.js';
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
  R: 'R — FBI requests to NFF states (FBI only)',
  X: 'X — exigent circumstances',
};

/**
 * One-stop history for a stated purpose, of a subject named by FBI number or FIN, or, when the
 * person cannot be named, of whoever two prints positively identify.
 */
export function historyView(params) {
  const result = h('section', { 'aria-live': 'polite' });
  const id = h('input', { name: 'id', value: params.get('id') ?? '', placeholder: 'FBI number or FIN' });
  const purpose = h('select', { name: 'purpose', required: true }, h('option', { value: '' }, 'Choose a purpose…'), Object.entries(PURPOSES).map(([code, label]) => h('option', { value: code }, label)));
  const prints = [2, 7].map((position) => h('input', { type: 'file', name: `finger_${position}`, accept: 'image/*,.wsq,.tif,.tiff,.bmp' }));
  show(
    h('h1', {}, 'Subject history'),
    form(
      [
        h('div', { class: 'grid' }, field('Subject', id), field('Purpose', purpose)),
        h('p', { class: 'muted' }, 'No identifier? Leave the subject empty and give the right and left index prints instead.'),
        h('div', { class: 'grid' }, field('Right index (finger 2)', prints[0]), field('Left index (finger 7)', prints[1])),
      ],
      'Show history',
      async (data, status) => {
        fill(result);
        try {
          const query = new URLSearchParams({ purpose: String(data.get('purpose') ?? '') });
          const subject = String(data.get('id') ?? '').trim();
          const fingers = new FormData();
          for (const input of prints) if (input.files[0]) fingers.append(input.name, input.files[0]);
          const printsGiven = [...fingers.keys()].length > 0;
          if (subject && printsGiven) throw new ApiError(0, 'BAD_REQUEST', 'Give either the subject’s FBI number or FIN, or their prints, not both.');
          if (!subject && !printsGiven) throw new ApiError(0, 'BAD_REQUEST', 'Give the subject’s FBI number or FIN, or their prints.');
          const history = subject ? await api('GET', `/v1/subjects/${encodeURIComponent(subject)}/history?${query}`) : await api('POST', `/v1/history?${query}`, fingers);
          const chri = history.fieldClasses.some((c) => c.startsWith('criminal_'));
          fill(result, h('h2', {}, `Subject ${history.subject}`), ...oneStop(history), chri ? disseminationForm(history) : null);
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Asking both repositories…',
    ),
    result,
  );
}

const METHODS = { email: 'email', electronic: 'electronic', fax: 'fax', mail: 'mail', in_person: 'in person', phone: 'phone' };

/** Criminal history passed on outside this exchange must be logged (secondary dissemination). */
function disseminationForm(history) {
  const done = h('div', { 'aria-live': 'polite' });
  return h(
    'section',
    { class: 'card' },
    h('h2', {}, 'Passed this record on?'),
    h('p', { class: 'muted' }, 'Giving this criminal history to anyone outside this request (a prosecutor, another agency) must be recorded.'),
    form(
      [
        h(
          'div',
          { class: 'grid' },
          field('Requesting agency', h('input', { name: 'requestingAgency', required: true })),
          field('Its ORI, if any', h('input', { name: 'requestingOri', placeholder: 'e.g. TX2270100' })),
          field('Recipient', h('input', { name: 'recipient', required: true, placeholder: 'name and title' })),
          field('Method', h('select', { name: 'method', required: true }, Object.entries(METHODS).map(([value, label]) => h('option', { value }, label)))),
        ),
      ],
      'Record the dissemination',
      async (data, status) => {
        try {
          const ori = String(data.get('requestingOri') ?? '').trim().toUpperCase();
          const entry = await api('POST', '/v1/disseminations', {
            record: history.subject,
            purpose: history.purpose,
            requestingAgency: String(data.get('requestingAgency') ?? ''),
            ...(ori ? { requestingOri: ori } : {}),
            recipient: String(data.get('recipient') ?? ''),
            method: String(data.get('method')),
          });
          fill(done, h('p', { 'data-testid': 'dissemination-recorded' }, `Recorded: ${entry.record} shared on ${entry.sharedOn} with ${entry.recipient} (${entry.requestingAgency}).`));
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Recording…',
    ),
    done,
  );
}
