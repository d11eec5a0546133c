import { generate } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { samplePhoto, samplePortrait } from '../infra/faces/sample-faces.ts';
import { CHROMIUM_ARGS, findChromium } from '../testing/chromium.ts';
import { indexPrints, multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/**
 * The port console's faces in a real browser: the capture checks shown as soon as a photo is
 * taken, retake or override with a reason, and a face mismatch shown as two photos side by side.
 */
const PRINTS = new URL('../../fixtures/fingerprints/', import.meta.url).pathname;
const today = new Date().toISOString().slice(0, 10);

let t: TestSystem;
let browser: Browser;
let page: Page;
let base: string;
let enrolledFin: string;
let overstayerFin: string;

const jpeg = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/jpeg', buffer });

beforeAll(async () => {
  const executablePath = findChromium();
  t = await startTestSystem();
  // A traveller on record with one face; they come back showing another.
  const { body, contentType } = multipart([
    { name: 'subject', json: { tcn: `SEED-FACE-${Date.now()}`, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family: 'LINDQVIST', given: 'ANNA' }, dob: '1985-06-01', sex: 'F', nationality: 'SWE', document: { type: 'passport', number: 'S7654321', issuingCountry: 'SWE' } } },
    ...indexPrints('105_1', '106_1'),
    { name: 'photo', file: await samplePortrait('s5f0') },
  ]);
  const seeded = await t.app.inject({ method: 'POST', url: '/v1/encounters', payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.port}` } });
  expect(seeded.statusCode, seeded.body).toBe(200);
  enrolledFin = seeded.json().fin;
  // An overstayer (admitted a year ago for six months, never left): in the violators' face gallery.
  const overstay = multipart([
    { name: 'subject', json: { tcn: `SEED-OVERSTAY-${Date.now()}`, port: 'IAD', inspectionDate: `${Number(today.slice(0, 4)) - 1}-01-10`, admissionClass: 'B2', name: { family: 'VARGAS', given: 'LUIS' }, dob: '1979-02-02', sex: 'M', nationality: 'CHL', document: { type: 'passport', number: 'C1234500', issuingCountry: 'CHL' } } },
    ...indexPrints('107_1', '108_1'),
    { name: 'photo', file: await samplePortrait('s6f0') },
  ]);
  const overstayed = await t.app.inject({ method: 'POST', url: '/v1/encounters', payload: overstay.body, headers: { 'content-type': overstay.contentType, authorization: `Bearer ${t.tokens.port}` } });
  expect(overstayed.statusCode, overstayed.body).toBe(200);
  overstayerFin = overstayed.json().fin;

  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  page.setDefaultTimeout(30_000);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(on: Page, user: string, screen: string) {
  await on.goto(base);
  await on.getByRole('heading', { name: 'Sign in' }).waitFor();
  await on.getByLabel('User', { exact: true }).fill(user);
  await on.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await on.getByLabel('One-time code (6 digits)').fill(await generate({ secret: t.totpSecrets[user] }));
  await on.getByRole('button', { name: 'Sign in' }).click();
  await on.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen }).click();
}

const signInAsPort = () => signIn(page, 'port', 'Port of entry');

async function fillTraveller(family: string, passport: string, prints: [string, string]) {
  await page.getByLabel('Family name').fill(family);
  await page.getByLabel('Given name').fill('ANNA');
  await page.getByLabel('Date of birth').fill('1985-06-01');
  await page.getByLabel('Nationality (ISO 3166 alpha-3)').fill('SWE');
  await page.getByLabel('Passport number').fill(passport);
  await page.getByLabel('Issuing country').fill('SWE');
  await page.getByLabel('Right index (finger 2)').setInputFiles(`${PRINTS}${prints[0]}.png`);
  await page.getByLabel('Left index (finger 7)').setInputFiles(`${PRINTS}${prints[1]}.png`);
}

const checkRow = (check: string) => page.getByTestId('face-checks').locator(`tr[data-check="${check}"]`);
const faceChecks = async () => Number((await t.system.databases.gateway!.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE event = 'face.check'`))[0].n);

describe('the port console\'s faces', { timeout: 180_000 }, () => {
  it('shows the checks as soon as a photo is taken, holds back a failing one until it is retaken, and sends the retake', async () => {
    await signInAsPort();
    await fillTraveller('LINDQVIST', 'S7654321', ['105_2', '106_2']);
    const photo = page.getByLabel('Face photo (optional)');
    const checked = await faceChecks();
    // A group photo: the check fails on the face count, with the count shown.
    await photo.setInputFiles(jpeg('group.jpg', await samplePhoto(1)));
    await expect.poll(() => page.getByTestId('face-verdict').textContent()).toMatch(/^The photo fails: Exactly one face/);
    expect(await checkRow('one_face').locator('td').allTextContents()).toEqual(['Exactly one face', '3', '= 1', '✗']);
    expect(await page.getByLabel('Accept this photo although it fails, because… (audited)').isVisible()).toBe(true);
    // Sending it as it is is held back in the browser: nothing reaches the server.
    await page.getByRole('button', { name: 'Check and decide' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/fails its checks: retake it, or give the reason/);
    expect(await page.getByTestId('decision').count()).toBe(0);
    // Retake: the failing photo is dropped and the camera (file chooser) opens again.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Retake photo' }).click();
    await (await chooser).setFiles(jpeg('retake.jpg', await samplePortrait('s3f0')));
    await expect.poll(() => page.getByTestId('face-verdict').textContent()).toBe('The photo passes every check.');
    expect(await checkRow('one_face').locator('td').last().textContent()).toBe('✓');
    expect(await page.getByLabel('Accept this photo although it fails, because… (audited)').isVisible()).toBe(false);
    // Each check was audited, nothing enrolled by them.
    expect(await faceChecks()).toBe(checked + 2);

    // The retake shows another person than the photo on record: referred, both photos side by side.
    await page.getByRole('button', { name: 'Check and decide' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent(), { timeout: 60_000 }).toBe('REFER TO SECONDARY');
    const comparison = page.getByTestId('face-comparison');
    expect(await comparison.textContent()).toContain(`On record under ${enrolledFin}`);
    const loaded = (testId: string) => page.getByTestId(testId).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    await expect.poll(() => loaded('face-today')).toBeGreaterThan(0);
    await expect.poll(() => loaded('face-on-record')).toBeGreaterThan(0);
    // The record's photo was released under the officer's grant, and that release audited.
    const [release] = await t.system.databases.gateway!.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'photo.disclose' ORDER BY seq DESC LIMIT 1`);
    expect(release.record_ids).toEqual([enrolledFin]);
  });

  it('enrols a failing photo when the officer gives the reason, and the override is audited with it', async () => {
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Port of entry' }).click();
    await fillTraveller('OKONJO', 'N1112223', ['101_1', '102_1']);
    await page.getByLabel('Face photo (optional)').setInputFiles(jpeg('blurred.jpg', await samplePortrait('s6f2', { blur: 2.5 })));
    await expect.poll(() => page.getByTestId('face-verdict').textContent()).toMatch(/^The photo fails: Sharpness/);
    await page.getByLabel('Accept this photo although it fails, because… (audited)').fill('camera lens fogged; traveller cannot wait');
    await page.getByRole('button', { name: 'Check and decide' }).click();
    await expect.poll(() => page.getByTestId('decision').textContent(), { timeout: 60_000 }).toBe('ADMIT');
    const [override] = await t.system.databases.gateway!.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'encounter.photo_override' ORDER BY seq DESC LIMIT 1`);
    expect(override.record_ids).toEqual(expect.arrayContaining(['failed_checks:sharpness', 'override_reason:camera lens fogged; traveller cannot wait']));
  });

  it('answers a rapid identification with a photo and no prints amber, with face leads that say they are not an identification', async () => {
    // A browser of its own: the FBI examiner's session, beside the port officer's.
    const examiner = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    examiner.setDefaultTimeout(30_000);
    try {
      await signIn(examiner, 'fbi', 'Rapid ID');
      await examiner.getByLabel('Face photo (optional)').setInputFiles(jpeg('field.jpg', await samplePortrait('s6f0', { shift: 0.05, quality: 70 })));
      await examiner.getByRole('button', { name: 'Identify' }).click();
      await expect.poll(() => examiner.getByTestId('verdict').getAttribute('data-color'), { timeout: 60_000 }).toBe('amber');
      expect(await examiner.getByTestId('category').textContent()).toMatch(/no fingerprints searched/);
      expect(await examiner.getByTestId('meaning').textContent()).toMatch(/^No prints searched: wants unknown/);
      const leads = examiner.getByTestId('face-leads');
      expect(await leads.getByRole('heading').textContent()).toBe('Face leads (not an identification)');
      expect(await leads.locator('li').first().textContent()).toMatch(new RegExp(`^${overstayerFin} \\(distance`));
    } finally {
      await examiner.close();
    }
  });
});
