// The traveller's photo at the port: checked as soon as it is taken, so the officer can retake it
// while the traveller is still at the desk, or accept it with a reason; and, on a face mismatch,
// today's photo beside the one on record.
import { api, apiImage } from '../api.js';
import { field, fill, h } from '../dom.js';
import { errorBox } from '../render.js';

const CHECK_NAMES = {
  one_face: 'Exactly one face',
  face_size: 'Face size (pixels between the eyes)',
  centre_x: 'Centred (offset from the middle)',
  eye_line: 'Eye line (share of the height)',
  yaw: 'Head turned (yaw, °)',
  pitch: 'Head tilted up/down (pitch, °)',
  roll: 'Head tilted sideways (roll, °)',
  sharpness: 'Sharpness',
  exposure: 'Exposure (mean brightness)',
  clipping: 'Black or white areas (share of the face)',
  eyes_open: 'Eyes open',
};

/**
 * The photo field with its live checks. `state()` says whether the form may be sent: no photo,
 * a photo that passed, or one that failed with the officer's reason to accept it.
 */
export function photoCapture() {
  const input = h('input', { type: 'file', name: 'photo', accept: 'image/*', capture: 'user' });
  const reason = h('input', { name: 'photoOverride', maxlength: 200 });
  const overrideField = field('Accept this photo although it fails, because… (audited)', reason);
  overrideField.hidden = true;
  const panel = h('div', { class: 'face-checks', 'aria-live': 'polite', 'data-testid': 'face-checks' });
  let status = 'none';
  let checking = 0;

  const retake = () => {
    input.value = '';
    reset();
    input.click(); // opens the camera (or the file chooser) again
  };
  const reset = () => {
    status = 'none';
    reason.value = '';
    overrideField.hidden = true;
    reason.required = false;
    fill(panel);
  };

  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return reset();
    const run = ++checking;
    status = 'checking';
    overrideField.hidden = true;
    fill(panel, h('p', { class: 'muted' }, 'Checking the photo…'));
    const body = new FormData();
    body.append('photo', file);
    try {
      const answer = await api('POST', '/v1/faces/check', body);
      if (run !== checking) return; // another photo was taken meanwhile
      status = answer.passed ? 'passed' : 'failed';
      overrideField.hidden = answer.passed;
      reason.required = !answer.passed;
      if (answer.passed) reason.value = '';
      fill(panel, preview(file), checkTable(answer.checks), answer.passed
        ? h('p', { class: 'ok', 'data-testid': 'face-verdict' }, 'The photo passes every check.')
        : [h('p', { class: 'error', 'data-testid': 'face-verdict' }, `The photo fails: ${answer.failed.map((c) => CHECK_NAMES[c] ?? c).join(', ')}. Retake it, or accept it with a reason.`), h('button', { type: 'button', onclick: retake }, 'Retake photo')]);
    } catch (error) {
      if (run !== checking) return;
      status = 'refused';
      fill(panel, errorBox(error), h('button', { type: 'button', onclick: retake }, 'Retake photo'));
    }
  });

  return {
    fields: [field('Face photo (optional)', input), panel, overrideField],
    file: () => (input.files?.[0]?.size ? input.files[0] : undefined),
    /** Why the form may not be sent yet, or undefined when it may. */
    blocker: () => {
      if (status === 'checking') return 'The photo is still being checked.';
      if (status === 'refused') return 'The photo cannot be used: retake it, or remove it.';
      if (status === 'failed' && !reason.value.trim()) return 'The photo fails its checks: retake it, or give the reason to accept it.';
      return undefined;
    },
  };
}

function preview(file) {
  const img = h('img', { class: 'face', alt: 'The photo just taken', src: URL.createObjectURL(file) });
  return img;
}

function checkTable(checks) {
  const mark = (passed) => (passed === true ? '✓' : passed === false ? '✗' : '?');
  return h(
    'table',
    { class: 'checks' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Check'), h('th', {}, 'Value'), h('th', {}, 'Limit'), h('th', {}, 'Result'))),
    h('tbody', {}, checks.map((c) => h('tr', { class: c.passed === false ? 'failed' : '', 'data-check': c.check }, h('td', {}, CHECK_NAMES[c.check] ?? c.check), h('td', {}, String(c.value)), h('td', {}, c.limit), h('td', { 'aria-label': c.passed === null ? 'cannot tell' : c.passed ? 'passed' : 'failed' }, mark(c.passed))))),
  );
}

/**
 * Today's photo beside the one on record under the FIN the prints found. The record's photo is
 * fetched under the officer's own grant (its release is audited); where the grant releases none,
 * the officer is told so instead.
 */
export function faceComparison(todayFile, mismatch, purpose = 'I') {
  const onRecord = h('img', { class: 'face-compare', alt: `Photo on record under ${mismatch.fin}`, 'data-testid': 'face-on-record' });
  const recordFigure = h('figure', {}, onRecord, h('figcaption', {}, `On record under ${mismatch.fin}`));
  apiImage(`/v1/subjects/${encodeURIComponent(mismatch.fin)}/photo?purpose=${encodeURIComponent(purpose)}`)
    .then((url) => onRecord.setAttribute('src', url))
    .catch(() => onRecord.replaceWith(h('p', { class: 'muted', 'data-testid': 'face-on-record-withheld' }, 'The photo on record is not released to you.')));
  return h(
    'div',
    { class: 'card side-by-side', 'data-testid': 'face-comparison' },
    h('h2', {}, 'Face mismatch: compare the photos'),
    h('div', { class: 'faces' }, h('figure', {}, h('img', { class: 'face-compare', alt: "Today's photo", src: URL.createObjectURL(todayFile), 'data-testid': 'face-today' }), h('figcaption', {}, 'Today')), recordFigure),
    h('p', { class: 'muted' }, `Distance ${mismatch.distance} above the threshold ${mismatch.threshold} (${mismatch.fmr ?? ''}). The officer decides; the engine only refers.`),
  );
}
