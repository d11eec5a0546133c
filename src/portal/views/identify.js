import { api, session } from '../api.js';
import { field, fill, form, h, show } from '../dom.js';
import { comparisonView, errorBox, printsWithMinutiae } from '../render.js';

const LABELS = { red: 'RED', amber: 'AMBER', green: 'GREEN' };
/** Rapid identification and the examiner's comparison are criminal-justice searches (III purpose C). */
const PURPOSE = 'C';
const MEANING = {
  red: 'Wanted or of high interest. Follow your agency’s procedure for a red response.',
  amber: 'Known subject or possible match, not wanted.',
  green: 'No match among criminal records or immigration violators.',
};
/** A photo alone: nothing is known of wants, so nothing here may read as a clearance. */
const NO_PRINTS = 'No prints searched: wants unknown, no one cleared. Face leads are for an examiner only.';

/** Rapid identification: two prints (and a photo, or a photo alone) in, red / amber / green out, large and unmistakable. */
export function identifyView() {
  const result = h('section', { 'aria-live': 'polite' });
  const inputs = [2, 7].map((position) => h('input', { type: 'file', name: `finger_${position}`, accept: 'image/*,.wsq,.tif,.tiff,.bmp' }));
  const photo = h('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png' });
  show(
    h('h1', {}, 'Rapid identification'),
    form(
      [
        h('p', { class: 'muted' }, 'Two prints from the field device (right and left index fingers). A photo is searched for leads when the prints are amber, or alone when no prints can be taken.'),
        h('div', { class: 'grid' }, field('Right index (finger 2)', inputs[0]), field('Left index (finger 7)', inputs[1]), field('Face photo (optional)', photo)),
      ],
      'Identify',
      async (_data, status) => {
        fill(result);
        // Only the files chosen: an empty file input would be sent as an empty image.
        const body = new FormData();
        const sentPrints = inputs.filter((input) => input.files[0]);
        for (const input of sentPrints) body.append(input.name, input.files[0]);
        if (photo.files[0]) body.append('photo', photo.files[0]);
        try {
          const answer = await api('POST', `/v1/identify?purpose=${PURPOSE}`, body);
          const s = answer.summary;
          fill(result, 
            h('div', { class: `verdict banner ${answer.color}`, 'data-testid': 'verdict', 'data-color': answer.color }, LABELS[answer.color]),
            h('p', {}, h('strong', { 'data-testid': 'meaning' }, sentPrints.length > 0 ? MEANING[answer.color] : NO_PRINTS)),
            answer.searchIncomplete ? h('p', { class: 'banner amber', 'data-testid': 'search-incomplete', role: 'alert' }, `${answer.searchIncomplete}. Part of the criminal records was not searched: this answer is no clearance. Search again.`) : null,
            h(
              'dl',
              { class: 'facts card' },
              s.category ? [h('dt', {}, 'Why'), h('dd', { 'data-testid': 'category' }, s.category)] : null,
              s.caveats?.length ? [h('dt', {}, 'Caution'), h('dd', {}, s.caveats.join(', '))] : null,
              s.name ? [h('dt', {}, 'Name'), h('dd', {}, s.name)] : null,
              s.fbiNumber ? [h('dt', {}, 'FBI number'), h('dd', {}, s.fbiNumber)] : null,
              s.fin ? [h('dt', {}, 'FIN'), h('dd', {}, s.fin)] : null,
              [h('dt', {}, 'Match level'), h('dd', {}, s.matchLevel)],
              answer.withheld
                ? [h('dt', {}, 'Note'), h('dd', {}, 'Immigration records are withheld from this search by policy; this result covers criminal records only.')]
                : answer.immigrationAvailable ? null : [h('dt', {}, 'Note'), h('dd', {}, 'The immigration repository did not answer; this result covers criminal records only.')],
            ),
            answer.faceLeads ? faceLeadsView(answer.faceLeads) : null,
            (s.fbiNumber || s.fin) && maySeeStoredPrints() && inputs[0].files[0] ? compareButton(s.fbiNumber ?? s.fin, inputs[0].files[0]) : null,
            printsWithMinutiae(sentPrints.map((input) => [input.name.replace('_', ' '), input.files[0]])),
          );
        } catch (error) {
          fill(status, errorBox(error));
        }
      },
    ),
    result,
  );
}

/** Face leads: FINs for an examiner to review, never an identification, and the notice that says so. */
function faceLeadsView(leads) {
  return h(
    'div',
    { class: 'card', 'data-testid': 'face-leads' },
    h('h2', {}, 'Face leads (not an identification)'),
    h('p', { class: 'muted' }, leads.notice),
    leads.candidates.length === 0
      ? h('p', {}, 'No face leads among immigration violators.')
      : h('ol', {}, leads.candidates.map((c) => h('li', {}, `${c.subject} (distance ${c.distance.toFixed(3)}${c.withinThreshold ? ', within the threshold' : ''})`))),
  );
}

/**
 * Whether to offer the comparison: state and local agencies get no stored prints (domain brief
 * §6.1), so the button would only lead to a refusal. The gateway decides; this spares the click.
 */
function maySeeStoredPrints() {
  const agencyType = session()?.user.agencyType;
  return agencyType === 'federal_criminal' || agencyType === 'federal_immigration';
}

/** For the examiner: finger 2 of the probe beside the candidate's stored finger 2. */
function compareButton(subject, probe) {
  const place = h('div', {});
  const button = h('button', { type: 'button' }, 'Compare finger 2 with the candidate’s print');
  button.addEventListener('click', async () => {
    button.disabled = true;
    const body = new FormData();
    body.append('request', JSON.stringify({ subject, position: 2 }));
    body.append('probe', probe);
    try {
      fill(place, await comparisonView(await api('POST', `/v1/compare?purpose=${PURPOSE}`, body)));
    } catch (error) {
      fill(place, errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return h('div', {}, button, place);
}
