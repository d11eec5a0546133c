import { api } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { errorBox, printsWithMinutiae } from '../render.js';
import { faceComparison, photoCapture } from './face-capture.js';

const HIT_TEXT = {
  wanted: (d) => `Wanted: ${d.offense ?? ''} (warrant ${d.warrantNo ?? '?'}, ${d.enteringOri ?? ''})`,
  identity_conflict: (d) => `Identity conflict: these prints belong to ${d.priorName ?? d.name ?? 'another identity'}${d.fin ? ` (${d.fin})` : ''}`,
  removed: (d) => `Previously removed${d.since ? ` on ${d.since}` : ''}`,
  document_reuse: (d) => `Travel document already bound to another person's prints (${d.priorFin ?? 'another FIN'}): possible identity fraud`,
  face_mismatch: (d) => `Face mismatch: today's photo matches none of the ${d.photosCompared ?? ''} photo(s) on record under ${d.fin ?? 'this FIN'} (distance ${d.distance} above ${d.threshold}; ${d.fmr ?? ''})`,
};

/** Port-of-entry console: traveller, document and two prints in; admit or refer to secondary out. */
export function portView() {
  const result = h('section', { 'aria-live': 'polite' });
  const prints = [2, 7].map((p) => h('input', { type: 'file', name: `finger_${p}`, accept: 'image/*,.wsq,.tif,.tiff,.bmp', required: true }));
  const today = new Date().toISOString().slice(0, 10);
  const photo = photoCapture();
  show(
    h('h1', {}, 'Port of entry'),
    form(
      [
        h(
          'div',
          { class: 'grid' },
          field('Family name', h('input', { name: 'family', required: true })),
          field('Given name', h('input', { name: 'given', required: true })),
          field('Date of birth', h('input', { name: 'dob', type: 'date', required: true })),
          field('Sex', h('select', { name: 'sex' }, h('option', {}, 'F'), h('option', {}, 'M'), h('option', {}, 'X'))),
          field('Nationality (ISO 3166 alpha-3)', h('input', { name: 'nationality', required: true, maxlength: 3 })),
          field('Admission class', h('input', { name: 'admissionClass', value: 'B2', required: true })),
          field('Passport number', h('input', { name: 'document', required: true })),
          field('Issuing country', h('input', { name: 'issuingCountry', required: true, maxlength: 3 })),
          field('Port', h('input', { name: 'port', value: 'IAD', required: true })),
          field('Right index (finger 2)', prints[0]),
          field('Left index (finger 7)', prints[1]),
        ),
        photo.fields,
      ],
      'Check and decide',
      async (data, status) => {
        fill(result);
        const blocked = photo.blocker();
        if (blocked) return fill(status, h('div', { class: 'error', role: 'alert' }, blocked));
        const body = new FormData();
        body.append('subject', JSON.stringify({
          tcn: `POE-${Date.now().toString(36).toUpperCase()}`,
          port: data.get('port'),
          inspectionDate: today,
          admissionClass: data.get('admissionClass'),
          name: { family: data.get('family'), given: data.get('given') },
          dob: data.get('dob'),
          sex: data.get('sex'),
          nationality: data.get('nationality'),
          document: { type: 'passport', number: data.get('document'), issuingCountry: data.get('issuingCountry') },
          ...(String(data.get('photoOverride') ?? '').trim() ? { photoOverride: String(data.get('photoOverride')).trim() } : {}),
        }));
        body.append('finger_2', prints[0].files[0]);
        body.append('finger_7', prints[1].files[0]);
        const photoFile = photo.file();
        if (photoFile) body.append('photo', photoFile);
        try {
          const answer = await api('POST', '/v1/encounters', body);
          const admit = answer.decision === 'admit';
          const mismatch = answer.hits.find((hit) => hit.kind === 'face_mismatch');
          fill(result, 
            h('div', { class: `verdict banner ${admit ? 'green' : 'red'}`, 'data-testid': 'decision' }, admit ? 'ADMIT' : 'REFER TO SECONDARY'),
            h('ul', {}, answer.hits.map((hit) => h('li', {}, (HIT_TEXT[hit.kind] ?? (() => hit.kind))(hit.detail ?? {})))),
            h(
              'dl',
              { class: 'facts card' },
              answer.fin ? [h('dt', {}, 'FIN'), h('dd', {}, answer.fin)] : null,
              [h('dt', {}, 'Returning traveller'), h('dd', {}, answer.returningTraveller ? 'yes' : 'no')],
              answer.admittedUntil ? [h('dt', {}, 'Admitted until'), h('dd', {}, answer.admittedUntil)] : null,
              answer.exemption ? [h('dt', {}, 'Exemption'), h('dd', {}, answer.exemption)] : null,
              answer.exemptPrints ? [h('dt', {}, 'Prints'), h('dd', {}, 'checked against wanted persons, not kept (exempt)')] : null,
              answer.faceVerification ? [h('dt', {}, 'Face (1:1)'), h('dd', {}, answer.faceVerification.mismatch ? `no match with the ${answer.faceVerification.compared} photo(s) on record` : `matches the photo on record (distance ${answer.faceVerification.nearest?.distance})`)] : null,
            ),
            mismatch && photoFile ? faceComparison(photoFile, mismatch.detail) : null,
            printsWithMinutiae(prints.map((input, k) => [`finger ${[2, 7][k]}`, input.files[0]])),
          );
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
      'Checking both repositories…',
    ),
    result,
  );
}
