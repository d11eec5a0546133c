/**
 * Writes fixtures/matching/pinned-scores.json: templates of the fixture prints (this extractor's,
 * and the commercial SDK's ISO records, which carry no ridge flow) with the score and pairing the
 * matcher gives every ordered pair of them. `pinned-scores.test.ts` holds the matcher to those
 * figures bit for bit, so that a change made for speed cannot move a score. Rewrite it only when a
 * score is meant to change, and say so in the commit.
 *
 *   node --import tsx bench/pin-scores.ts
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { extractTemplate } from '../src/biometrics/extraction/extract-template.ts';
import { decodeTemplate, encodeTemplate } from '../src/biometrics/template-codec.ts';
import { fixtureImage, FIXTURES } from '../src/biometrics/testing/fixtures.ts';
import { decodeMinutiaeRecord, recordToTemplate } from '../src/formats/iso19794/minutiae-record.ts';
import { pinnedScores, PINNED_SCORES_FILE, type PinnedScores } from '../src/biometrics/matching/pinned-scores.ts';

const names = (await readdir(FIXTURES)).sort();
const templates: PinnedScores['templates'] = [];
for (const name of names.filter((n) => n.endsWith('.png'))) {
  templates.push({ name, template: Buffer.from(encodeTemplate(extractTemplate(await fixtureImage(name)))).toString('base64') });
}
for (const name of names.filter((n) => n.endsWith('.iso'))) {
  const template = recordToTemplate(decodeMinutiaeRecord(await readFile(new URL(name, FIXTURES))));
  templates.push({ name, template: Buffer.from(encodeTemplate(template)).toString('base64') });
}
const decoded = templates.map((t) => decodeTemplate(Buffer.from(t.template, 'base64')));
const pinned: PinnedScores = { templates, comparisons: pinnedScores(decoded) };
await writeFile(PINNED_SCORES_FILE, `${JSON.stringify(pinned)}\n`);
process.stdout.write(`${templates.length} templates, ${pinned.comparisons.length} comparisons written to ${PINNED_SCORES_FILE.pathname}\n`);
