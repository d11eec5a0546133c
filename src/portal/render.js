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
      history.photoAvailable ? facePhoto('photo', history.subject, history.purpose, 'Face photo') : null,
      history.bookingPhotoAvailable && ids.fbiNumber ? facePhoto('booking-photo', ids.fbiNumber, history.purpose, 'Booking photo') : null,
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

/** A photo of the subject (the port's, or the latest booking's), fetched under the same purpose (its disclosure is audited too). */
function facePhoto(route, subject, purpose, label) {
  const img = h('img', { class: 'face', alt: `${label} of ${subject}`, 'data-testid': route === 'photo' ? 'face-photo' : 'booking-photo' });
  apiImage(`/v1/subjects/${encodeURIComponent(subject)}/${route}?purpose=${encodeURIComponent(purpose)}`)
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

/**
 * The examiner's side-by-side: the probe (left) and the candidate's stored print (right), each
 * with its minutiae, and a line joining every pair the matcher relied on.
 */
export async function comparisonView(answer) {
  // A grant of match results only: the score, nothing of the stored print to draw.
  if (!answer.candidate) {
    return h('figure', { class: 'comparison' }, h('figcaption', { 'data-testid': 'comparison' }, `Score ${answer.score.toFixed(1)}, false-match rate ${answer.fmr.toExponential(1)}. The dissemination policy gives your agency the match result only, not the stored print.`));
  }
  const load = async (src) => {
    if (!src) return undefined;
    const image = new Image();
    image.src = src;
    await image.decode();
    return image;
  };
  const [left, right] = await Promise.all([load(answer.probe.image), load(answer.candidate.image)]);
  const height = Math.max(answer.probe.height, answer.candidate.height);
  const gap = 24;
  const canvas = h('canvas', { width: answer.probe.width + gap + answer.candidate.width, height, 'data-testid': 'comparison', 'aria-label': `Probe and candidate with ${answer.pairs.length} paired minutiae` });
  const g = canvas.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, canvas.width, canvas.height);
  if (left) g.drawImage(left, 0, 0);
  const offset = answer.probe.width + gap;
  if (right) g.drawImage(right, offset, 0);
  const mark = (m, dx, color) => {
    g.strokeStyle = color;
    g.beginPath();
    g.arc(m.x + dx, m.y, 5, 0, 2 * Math.PI);
    g.moveTo(m.x + dx, m.y);
    g.lineTo(m.x + dx + 12 * Math.cos(m.angle), m.y - 12 * Math.sin(m.angle));
    g.stroke();
  };
  g.lineWidth = 1.5;
  for (const m of answer.probe.minutiae) mark(m, 0, '#9aa5b1');
  for (const m of answer.candidate.minutiae) mark(m, offset, '#9aa5b1');
  g.lineWidth = 1.2;
  answer.pairs.forEach(([p, c], k) => {
    const color = `hsl(${(k * 47) % 360} 80% 40%)`;
    const a = answer.probe.minutiae[p];
    const b = answer.candidate.minutiae[c];
    mark(a, 0, color);
    mark(b, offset, color);
    g.strokeStyle = color;
    g.beginPath();
    g.moveTo(a.x, a.y);
    g.lineTo(b.x + offset, b.y);
    g.stroke();
  });
  return h('figure', { class: 'comparison' }, canvas,
    h('figcaption', {}, `Probe (left) and the stored print (right): ${answer.pairs.length} paired minutiae, score ${answer.score.toFixed(1)}, false-match rate ${answer.fmr.toExponential(1)}.${right ? '' : ' No image was kept for the stored print; only its minutiae are shown.'}`));
}
