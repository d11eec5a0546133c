import { api } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox, printsWithMinutiae, timeline, wantedBanner, withheldMarker } from '../render.js';

const FINGERS = ['R thumb', 'R index', 'R middle', 'R ring', 'R little', 'L thumb', 'L index', 'L middle', 'L ring', 'L little'];
const PURPOSES = { C: 'C — criminal justice', F: 'F — firearms', J: 'J — criminal justice employment' };

/** Booking: the arrest and ten prints (or an EBTS file) in, the consolidated answer out. */
export function bookingView() {
  const result = h('section', { 'aria-live': 'polite' });
  const today = new Date().toISOString().slice(0, 10);
  const fingerInputs = FINGERS.map((name, k) => field(`${k + 1} ${name}`, h('input', { type: 'file', name: `finger_${k + 1}`, accept: 'image/*,.wsq,.tif,.tiff,.bmp' })));
  show(
    h('h1', {}, 'Booking'),
    ebtsDrop(result),
    form(
      [
        h('h2', {}, 'Arrest'),
        h(
          'div',
          { class: 'grid' },
          field('Family name', h('input', { name: 'family', required: true })),
          field('Given name', h('input', { name: 'given', required: true })),
          field('Date of birth', h('input', { name: 'dob', type: 'date', required: true })),
          field('Sex', h('select', { name: 'sex' }, h('option', { value: 'M' }, 'M'), h('option', { value: 'F' }, 'F'), h('option', { value: 'X' }, 'X'))),
          field('Date of arrest', h('input', { name: 'dateOfArrest', type: 'date', value: today, required: true })),
          field('Charge', h('input', { name: 'charge', required: true })),
          field('Severity', h('select', { name: 'severity' }, h('option', { value: 'misdemeanor' }, 'misdemeanor'), h('option', { value: 'felony' }, 'felony'))),
          field('Purpose', h('select', { name: 'purpose' }, Object.entries(PURPOSES).map(([code, label]) => h('option', { value: code }, label)))),
        ),
        h('h2', {}, 'Prints'),
        h('div', { class: 'grid' }, fingerInputs),
      ],
      'Book and search',
      async (data, status) => {
        fill(result);
        const body = new FormData();
        body.append('booking', JSON.stringify({
          tcn: `PORTAL-${Date.now().toString(36).toUpperCase()}`,
          purpose: data.get('purpose'),
          name: { family: data.get('family'), given: data.get('given') },
          dob: data.get('dob'),
          sex: data.get('sex'),
          dateOfArrest: data.get('dateOfArrest'),
          charges: [{ literal: data.get('charge'), severity: data.get('severity') }],
        }));
        const prints = [];
        for (let k = 1; k <= 10; k++) {
          const file = data.get(`finger_${k}`);
          if (file instanceof File && file.size > 0) {
            body.append(`finger_${k}`, file);
            prints.push([`finger ${k}`, file]);
          }
        }
        try {
          fill(result, ...bookingAnswer(await api('POST', '/v1/bookings', body)), printsWithMinutiae(prints));
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
    ),
    result,
  );
}

function bookingAnswer(answer) {
  const im = answer.immigration;
  return [
    wantedBanner(answer.wanted),
    h(
      'div',
      { class: 'card', 'data-testid': 'booking-answer' },
      h('h2', {}, answer.sre.srf === 'I' ? 'Identified' : 'Not previously known: new record'),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'FBI number'),
        h('dd', {}, answer.sre.fbiNumber),
        h('dt', {}, 'Transaction'),
        h('dd', {}, answer.tcn),
        h('dt', {}, 'Immigration'),
        h('dd', { 'data-testid': 'immigration-status' }, `${im.status}: ${im.message}${im.fin ? ` (FIN ${im.fin}${im.statusClass ? `, ${im.statusClass}` : ''})` : ''}`),
        im.flags?.length ? [h('dt', {}, 'Immigration flags'), h('dd', {}, im.flags.join(', '))] : null,
      ),
    ),
    withheldMarker(answer.withheld),
    answer.criminalHistory ? [h('h2', {}, 'Criminal history'), timeline(answer.criminalHistory.timeline)] : null,
  ];
}

/** An ANSI/NIST-ITL file from a booking station, dropped or chosen, sent as it is. */
function ebtsDrop(result) {
  const input = h('input', { type: 'file', accept: '.an2,.eft,.nist,application/octet-stream', 'aria-label': 'EBTS transaction file' });
  const zone = h('div', { class: 'drop', 'data-testid': 'ebts-drop' }, 'Drop an EBTS transaction file (CAR, CNA, TPIS, RPIS) here, or ', input);
  const send = async (file) => {
    fill(result, h('p', { class: 'muted' }, `Sending ${file.name}…`));
    try {
      fill(result, ebtsAnswer(await api('POST', '/v1/ebts', file)));
    } catch (error) {
      fill(result, errorBox(error));
    }
  };
  input.addEventListener('change', () => input.files[0] && send(input.files[0]));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) send(file);
  });
  return zone;
}

function ebtsAnswer(answer) {
  const refused = answer.tot === 'ERRT';
  return h(
    'div',
    { class: refused ? 'error' : 'card', 'data-testid': 'ebts-answer' },
    h('h2', {}, `${answer.tot} for ${answer.tcr}`),
    answer.srf ? h('p', {}, answer.srf === 'I' ? `Identified: ${answer.fbiNumber ?? ''} ${answer.name ?? ''}` : `Not identified${answer.fbiNumber ? `; new FBI number ${answer.fbiNumber}` : ''}`) : null,
    answer.candidates.map((c) => h('p', {}, `Candidate ${c.fbiNumber} ${c.name}`)),
    h('ul', {}, answer.messages.map((m) => h('li', {}, m))),
    refused ? h('p', {}, 'Nothing was stored. Correct the file and send it again.') : null,
    answer.rapSheet ? h('pre', {}, answer.rapSheet) : null,
  );
}
