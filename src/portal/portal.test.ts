import { mkdirSync } from 'node:fs';
import { generate } from 'otplib';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/demo-identities.ts';
import { CHROMIUM_ARGS, findChromium } from '../testing/chromium.ts';
import { indexPrints, multipart, startTestSystem, type TestSystem } from '../testing/test-system.ts';

/**
 * The officer portal in a real browser: sign-in, a booking of a subject known to both
 * repositories, a red rapid identification, the withheld marker for a local user, the privacy
 * officer's chain verification and a failed upload. Screenshots go to docs/screenshots/.
 */
const PRINTS = new URL('../../fixtures/fingerprints/', import.meta.url).pathname;
const SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const today = new Date().toISOString().slice(0, 10);

let t: TestSystem;
let browser: Browser;
let page: Page;
let base: string;
let bothFbiNumber: string;
let travellerFin: string;

/** A drawn head-and-shoulders silhouette: no face the checks can find, so the officer accepts it with a reason. */
async function silhouette(): Promise<Uint8Array> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="600"><rect width="480" height="600" fill="#d9dee4"/><circle cx="240" cy="230" r="120" fill="#8a96a3"/><ellipse cx="240" cy="560" rx="210" ry="190" fill="#8a96a3"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).jpeg().toBuffer());
}

async function post(url: string, user: string, parts: Parameters<typeof multipart>[0]) {
  const { body, contentType } = multipart(parts);
  const response = await t.app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens[user]}` } });
  expect(response.statusCode, response.body).toBeLessThan(300);
  return response.json();
}


const arrest = (family: string, given: string) => ({
  tcn: `SEED-${family}-${Date.now().toString(36)}`,
  purpose: 'C',
  name: { family, given },
  dob: '1979-02-14',
  sex: 'M',
  dateOfArrest: today,
  charges: [{ literal: 'BURGLARY', severity: 'felony' }],
});

beforeAll(async () => {
  const executablePath = findChromium();
  t = await startTestSystem();
  // A traveller who is later arrested (known to both repositories), and a wanted person.
  travellerFin = (await post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn: `SEED-POE-${Date.now()}`, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family: 'MORENO', given: 'LUIS' }, dob: '1979-02-14', sex: 'M', nationality: 'MEX', document: { type: 'passport', number: 'G1234567', issuingCountry: 'MEX' }, photoOverride: 'drawn silhouette for the screenshots' } },
    ...indexPrints('103_1', '104_1'),
    { name: 'photo', file: await silhouette() },
  ])).fin;
  bothFbiNumber = (await post('/v1/bookings', 'booking', [{ name: 'booking', json: arrest('MORENO', 'LUIS') }, ...indexPrints('103_2', '104_2')])).sre.fbiNumber;
  const wanted = (await post('/v1/bookings', 'booking', [{ name: 'booking', json: arrest('KANE', 'ELIAS') }, ...indexPrints('107_1', '108_1')])).sre.fbiNumber;
  const entry = await t.app.inject({
    method: 'POST',
    url: '/v1/wanted',
    headers: { authorization: `Bearer ${t.tokens.booking}` },
    payload: { fbiNumber: wanted, warrantNo: 'TX-2026-0777', offense: 'ARMED ROBBERY', dateOfWarrant: today, extradition: 'full', caution: ['ARMED AND DANGEROUS'] },
  });
  expect(entry.statusCode, entry.body).toBe(201);

  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000); // a stuck step fails with its locator named, inside the test's time
  mkdirSync(SHOTS, { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signIn(user: string, password = DEMO_PASSWORD, secret = t.totpSecrets[user]) {
  if (page.url().startsWith(base)) await page.getByRole('heading', { name: 'Sign in' }).waitFor(); // signed out first
  await page.goto(base);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('User', { exact: true }).fill(user);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('One-time code (6 digits)').fill(await generate({ secret }));
}

/** Goes to a screen and waits until it is shown: screens share labels, so a fill must not reach the one before. */
async function nav(screen: string) {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: screen }).click();
  await page.locator('#nav a[aria-current="page"]', { hasText: screen }).waitFor();
}
const shot = (name: string) => page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });

describe('the officer portal', { timeout: 60_000 }, () => {
  it('signs a booking officer in with password and one-time code, showing only their screens', async () => {
    await signIn('booking');
    await shot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Deputy Walsh');
    const screens = await page.locator('#nav a').allTextContents();
    expect(screens).toEqual(['Booking', 'Rapid ID', 'Subject history', 'Alerts']);
  });

  it('books a subject known to both repositories: identified, immigration match, prints with minutiae', async () => {
    await nav('Booking');
    await page.getByLabel('Family name').fill('MORENO');
    await page.getByLabel('Given name').fill('LUIS');
    await page.getByLabel('Date of birth').fill('1979-02-14');
    await page.getByLabel('Charge').fill('TRESPASS');
    await page.getByLabel('2 R index').setInputFiles(`${PRINTS}103_2.png`);
    await page.getByLabel('7 L index').setInputFiles(`${PRINTS}104_2.png`);
    await page.getByRole('button', { name: 'Book and search' }).click();
    const answer = page.getByTestId('booking-answer');
    await answer.waitFor({ timeout: 30_000 });
    expect(await answer.textContent()).toContain(bothFbiNumber);
    expect(await page.getByTestId('immigration-status').textContent()).toMatch(/^MATCH/);
    await expect.poll(() => page.getByText(/minutiae \(red endings/).count(), { timeout: 30_000 }).toBe(2);
    await shot('booking');
  });

  it('shows a wanted person as RED before anything else', async () => {
    await nav('Rapid ID');
    await page.getByLabel('Right index (finger 2)').setInputFiles(`${PRINTS}107_2.png`);
    await page.getByLabel('Left index (finger 7)').setInputFiles(`${PRINTS}108_2.png`);
    await page.getByRole('button', { name: 'Identify' }).click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.getAttribute('data-color')).toBe('red');
    expect(await page.getByTestId('category').textContent()).toContain('ARMED ROBBERY');
    await expect.poll(() => page.getByText(/minutiae \(red endings/).count(), { timeout: 30_000 }).toBe(2);
    await shot('rapid-identification-red');
    // A local agency gets no stored prints (domain brief §6.1): no comparison is offered.
    expect(await page.getByRole('button', { name: /Compare finger 2 with the candidate/ }).count()).toBe(0);
  });

  it('marks immigration details as withheld for a local agency’s criminal-justice query', async () => {
    await nav('Subject history');
    await page.getByLabel('Subject').fill(bothFbiNumber);
    await page.getByLabel('Purpose').selectOption('C');
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByTestId('timeline').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('withheld').textContent()).toContain('Withheld by policy');
    expect(await page.getByTestId('face-photo').count()).toBe(0); // photos go with full immigration data only
    await shot('one-stop-history-withheld');
    await page.getByLabel('Requesting agency').fill('Travis County District Attorney');
    await page.getByLabel('Its ORI, if any').fill('TX2270100');
    await page.getByLabel('Recipient').fill('ADA J. Ortiz');
    await page.getByLabel('Method').selectOption('email');
    await page.getByRole('button', { name: 'Record the dissemination' }).click();
    await expect.poll(() => page.getByTestId('dissemination-recorded').textContent()).toContain(`Recorded: ${bothFbiNumber} shared on`);
  });

  it('finds the history by prints when the subject cannot be named', async () => {
    await nav('Subject history');
    await page.getByLabel('Subject').fill(''); // the screen keeps the last subject asked for
    await page.getByLabel('Purpose').selectOption('C');
    await page.getByLabel('Right index (finger 2)').setInputFiles(`${PRINTS}103_1.png`);
    await page.getByLabel('Left index (finger 7)').setInputFiles(`${PRINTS}104_1.png`);
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByRole('heading', { name: `Subject ${bothFbiNumber}` }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('withheld').textContent()).toContain('Withheld by policy');
  });

  it('explains a failed upload in plain words', async () => {
    await nav('Rapid ID');
    await page.getByLabel('Right index (finger 2)').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('these are notes, not a fingerprint') });
    await page.getByLabel('Left index (finger 7)').setInputFiles(`${PRINTS}108_2.png`);
    await page.getByRole('button', { name: 'Identify' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('Choose a PNG, TIFF, BMP, JPEG or WSQ fingerprint image.');
    await shot('failed-upload');
    await nav('Alerts');
    await expect.poll(() => page.locator('main').textContent()).toMatch(/No alerts for your agency|Received/);
  });

  it('shows an immigration analyst the whole one-stop view, face photo included', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('ice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('Subject history');
    await page.getByLabel('Subject').fill(travellerFin);
    await page.getByLabel('Purpose').selectOption('C');
    await page.getByRole('button', { name: 'Show history' }).click();
    await page.getByTestId('timeline').waitFor();
    await expect.poll(() => page.getByTestId('face-photo').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    const sources = await page.locator('[data-testid="timeline"] .source').allTextContents();
    expect(new Set(sources)).toEqual(new Set(['criminal', 'immigration']));
    await shot('one-stop-history-immigration');
  });

  it('lets the privacy officer verify the audit chain', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('privacy');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('Privacy & audit');
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    const status = page.getByTestId('chain-status');
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toMatch(/Audit chain intact\d+ records verified/);
    expect(await page.getByTestId('chain-head').textContent()).toMatch(/^\d+:[0-9a-f]{64}$/);
    await page.getByLabel('Subject (FBI number or FIN)').fill(bothFbiNumber);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByTestId('audit-results').waitFor();
    await page.getByLabel('Record (FBI number or FIN)').fill(bothFbiNumber);
    await page.getByRole('button', { name: 'Show the log' }).click();
    await expect.poll(() => page.getByTestId('dissemination-log').textContent()).toContain('ADA J. Ortiz');
    await shot('privacy-audit');
    await nav('Redress');
    await page.getByLabel('Subject (FIN or FBI number)').fill(bothFbiNumber);
    await page.getByLabel('Request').selectOption('record_challenge');
    await page.getByLabel('Arrest challenged (TCN)').fill('SEED-MORENO');
    await page.getByLabel('What the person says').fill('Was abroad on the date of the arrest');
    await page.getByRole('button', { name: 'Log request' }).click();
    await page.getByTestId('redress-cases').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('redress-cases').textContent()).toContain('Was abroad on the date of the arrest');
    await shot('redress');
    await nav('Dashboard');
    await page.getByTestId('dashboard').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('dashboard').textContent()).toContain('Rapid IDs red1');
    await shot('dashboard');
  });

  it('shows an FBI examiner the candidate’s stored print beside the probe', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('fbi');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('Rapid ID');
    await page.getByLabel('Right index (finger 2)').setInputFiles(`${PRINTS}107_2.png`);
    await page.getByLabel('Left index (finger 7)').setInputFiles(`${PRINTS}108_2.png`);
    await page.getByRole('button', { name: 'Identify' }).click();
    await page.getByTestId('verdict').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Compare finger 2 with the candidate/ }).click();
    await page.getByTestId('comparison').waitFor();
    expect(await page.locator('figure.comparison figcaption').textContent()).toMatch(/\d+ paired minutiae/);
    await page.getByTestId('comparison').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}examiner-comparison.png`, clip: (await page.locator('figure.comparison').boundingBox())! });
  });

  it('lets an administrator create a user, a second administrator approve it, and the user sign in with the secret shown once', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('admin');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('Administration');
    await page.getByLabel('ORI (2-letter state + 7)').fill('TX2200000');
    await page.getByLabel('Agency name').fill('Travis County Sheriff');
    await page.getByRole('button', { name: 'Create agency' }).click();
    await expect.poll(() => page.getByTestId('users').locator('..').textContent()).toContain('Travis County Sheriff');
    await page.getByLabel('User id').fill('officer.diaz');
    await page.getByLabel('Full name').fill('Officer Diaz');
    await page.getByLabel('User’s agency').selectOption('TX2200000');
    await page.getByLabel('Role').selectOption('field_officer');
    await page.getByLabel('Initial password (12+ characters)').fill('a long initial password');
    await page.getByRole('button', { name: 'Create user' }).click();
    const created = page.getByTestId('created-user');
    await created.waitFor({ timeout: 30_000 });
    const secret = (await created.locator('dd').first().textContent())!;
    expect(await created.textContent()).not.toContain('token');
    await shot('administration');
    // The creator may not approve the account; a second administrator does.
    const row = () => page.getByTestId('users').getByRole('row').filter({ hasText: 'officer.diaz' });
    expect(await row().textContent()).toContain('waiting for approval');
    expect(await row().getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('admin2');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await nav('Administration');
    await row().getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => row().textContent()).not.toContain('waiting for approval');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn('officer.diaz', 'a long initial password', secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('Officer Diaz · TX2200000');
    expect(await page.locator('#nav a').allTextContents()).toEqual(['Rapid ID']);
  });
});
