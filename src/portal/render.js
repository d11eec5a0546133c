// The pieces every answer is made of: errors in plain words, the wanted banner that comes before
// anything else, the one-stop timeline with its sources, and prints with their minutiae.
import { api, apiImage, explain } from './api.js';
import { h } from './dom.js';

export function errorBox(error) {
  const { message, next, code } = explain(error);
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, message), h('div', {}, next), code ? h('div', { class: 'muted' }, `(${code})`) : null);
}

export function wantedBanner(wanted) {
  if (!wanted || wanted.length === 0) return null;
  return wanted.map((w) =>
    h(
      'div',
      { class: 'banner wanted', role: 'alert', 'data-testid': 'wanted-banner' },
      h('strong', {}, 'WANTED'),
      `${w.offense} — warrant ${w.warrantNo}, ${w.enteringOri}`,
      w.caution?.length ? h('div', {}, h('b', {}, 'Caution: '), w.caution.join(', ')) : null,
      w.extradition ? h('div', {}, `Extradition: ${w.extradition}`) : null,
    ),
  );
}

export function withheldMarker(withheld) {
  return withheld
    ? h('p', { 'data-testid': 'withheld' }, h('span', { class: 'withheld' }, 'Withheld by policy'), ' Some information exists that your agency, role or purpose does not allow you to see.')
    : null;
}

export function timeline(entries) {
  if (!entries || entries.length === 0) return h('p', { class: 'muted' }, 'No events you may see.');
  return h(
    'table',
    { 'data-testid': 'timeline' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Date'), h('th', {}, 'Source'), h('th', {}, 'Event'), h('th', {}, 'Details'))),
    h(
      'tbody',
      {},
      entries.map((e) => h('tr', {}, h('td', {}, e.date.slice(0, 10)), h('td', {}, h('span', { class: `source ${e.source}` }, e.source)), h('td', {}, e.kind), h('td', {}, e.summary))),
    ),
  );
}

/** The one-stop view of a subject: wanted first, then who, then everything in one timeline. */
export function oneStop(history) {
  const ids = history.identifiers ?? {};
  const summary = history.immigrationSummary;
  return [
    wantedBanner(history.wanted),
    withheldMarker(history.withheld),
    h(
      'div',
      { class: 'card identity' },
      history.photoAvailable ? facePhoto(history.subject, history.purpose) : null,
      h('h2', {}, 'Identity'),
      h(
        'dl',
        { class: 'facts' },
        ids.fbiNumber ? [h('dt', {}, 'FBI number'), h('dd', {}, ids.fbiNumber)] : null,
        ids.fin ? [h('dt', {}, 'FIN'), h('dd', {}, ids.fin)] : null,
        (history.identities ?? []).map((i) => [h('dt', {}, i.source === 'criminal' ? 'Name (criminal)' : 'Name (immigration)'), h('dd', {}, `${i.name}${i.dob ? `, born ${i.dob}` : ''}`)]),
        summary ? [h('dt', {}, 'Immigration'), h('dd', {}, `known to DHS${summary.statusClass ? `, ${summary.statusClass}` : ''}${summary.flags?.length ? ` — ${summary.flags.join(', ')}` : ''}`)] : null,
      ),
    ),
    h('h2', {}, 'History'),
    timeline(history.timeline),
    history.policyVersion ? h('p', { class: 'muted' }, `Filtered by dissemination policy ${history.policyVersion}${history.purpose ? `, purpose ${history.purpose}` : ''}.`) : null,
  ];
}

/** The subject's face photo, fetched under the same purpose (its disclosure is audited too). */
function facePhoto(subject, purpose) {
  const img = h('img', { class: 'face', alt: `Face photo of ${subject}`, 'data-testid': 'face-photo' });
  apiImage(`/v1/subjects/${encodeURIComponent(subject)}/photo?purpose=${encodeURIComponent(purpose)}`)
    .then((url) => img.setAttribute('src', url))
    .catch(() => img.replaceWith(h('p', { class: 'muted' }, 'Photo not available.')));
  return img;
}

/** Each chosen print as the engine sees it, with its minutiae drawn on it, for the examiner. */
export function printsWithMinutiae(files) {
  const container = h('div', { class: 'prints', 'data-testid': 'prints' });
  for (const [label, file] of files) {
    const canvas = h('canvas', { width: 10, height: 10, 'aria-label': `${label} with minutiae` });
    const caption = h('figcaption', {}, `${label}: finding minutiae…`);
    container.append(h('figure', {}, canvas, caption));
    const body = new FormData();
    body.append('image', file);
    api('POST', '/v1/minutiae', body)
      .then(async (found) => {
        const image = new Image();
        image.src = found.image;
        await image.decode();
        canvas.width = found.width;
        canvas.height = found.height;
        const g = canvas.getContext('2d');
        g.drawImage(image, 0, 0);
        g.lineWidth = 2;
        for (const m of found.minutiae) {
          g.strokeStyle = m.type === 'bifurcation' ? '#0a7d2c' : '#c0161f';
          g.beginPath();
          g.arc(m.x, m.y, 5, 0, 2 * Math.PI);
          g.moveTo(m.x, m.y);
          g.lineTo(m.x + 14 * Math.cos(m.angle), m.y - 14 * Math.sin(m.angle));
          g.stroke();
        }
        caption.textContent = `${label}: quality ${found.quality}, ${found.minutiae.length} minutiae (red endings, green bifurcations)`;
      })
      .catch((error) => caption.replaceWith(errorBox(error)));
  }
  return container;
}
