/**
 * The whole system under load: port-of-entry enrollment, booking and rapid identification
 * through the HTTP API, against repositories holding 10,000 subjects each (two fingers per
 * subject), on the embedded default or on PostgreSQL / NATS when DATABASE_URL / NATS_URL are set.
 * Requests go through the server in-process (no network), one at a time: latency p50 / p95 and
 * transactions per second.
 *
 *   npm run bench -- system [--subjects 10000] [--requests 30] [--fingers N] [--nist]
 *
 * --fingers N makes the criminal gallery N fingers of ten-print records (N / 10 subjects), every
 * finger a distinct one of the synthetic population; --nist sends NIST-size rolled prints
 * (800 × 750 px at 500 ppi) instead of the FVC-size fixtures.
 *
 * The galleries are synthetic: the immigration one templates of 40 synthetic fingers, each copied
 * 500 times moved, rotated, thinned and jittered (as in the matcher bench); the criminal one
 * distinct fingers of the synthetic population. Probes are real FVC2002 prints from
 * the test fixtures, which match none of them: the first enrollment of a traveller is new, the
 * later ones of the same prints are returning travellers — as at a real port.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { buildServer } from '../src/api/server.ts';
import { startSystem } from '../src/app/concord-system.ts';
import { extractTemplate } from '../src/biometrics/extraction/extract-template.ts';
import { renderImpression, subjectFinger } from '../src/biometrics/synthetic/index.ts';
import { mixSeed, seededRandom } from '../src/biometrics/synthetic/random.ts';
import { encodeTemplate } from '../src/biometrics/template-codec.ts';
import type { FingerprintTemplate } from '../src/biometrics/template.ts';
import { DEMO_AGENCIES, DEMO_USERS, demoSystem } from '../src/demo/demo-identities.ts';
import { registerAgency } from '../src/gateway/access.ts';
import { registerSystemToken } from '../src/gateway/client-credentials.ts';
import { readConfig, type Config } from '../src/infra/config.ts';
import { KeyRing } from '../src/infra/crypto/key-ring.ts';
import { sealedFor } from '../src/repositories/shared/template-sealer.ts';
import { migrate } from '../src/infra/db/migrate.ts';
import { openNodeDatabase } from '../src/infra/db/open-node-database.ts';
import { immigrationMigrations } from '../src/repositories/immigration/migrations.ts';
import { dropDeploymentData, multipart } from '../src/testing/test-system.ts';
import { perturb } from './gallery-templates.ts';
import { insertRows, seedCriminalGallery } from './criminal-gallery.ts';
import sharp from 'sharp';
import { formatTable, type Row } from './table.ts';

const BASE_FINGERS = 40;
const POSITIONS = [2, 7];

export async function runSystemBench(values: Record<string, string | true> = {}): Promise<Row[]> {
  const subjects = values.subjects ? Number(values.subjects) : 10_000;
  const requests = values.requests ? Number(values.requests) : 30;
  // The criminal gallery: ten-print records when its size is given in fingers, else two fingers a subject as the immigration one.
  const fingers = values.fingers ? Number(values.fingers) : undefined;
  const criminal = fingers ? { subjects: Math.ceil(fingers / 10), positions: POSITIONS_TEN } : { subjects, positions: POSITIONS };
  const nist = values.nist === true;
  const dataDir = await mkdtemp(join(tmpdir(), 'concord-bench-'));
  const config: Config = { ...readConfig(process.env), dataDir, schemaPrefix: `bench_${Date.now().toString(36)}` };
  const rows: Row[] = [];
  try {
    const seedStarted = performance.now();
    await seedImmigration(config, subjects);
    await seedCriminalGallery(config, KeyRing.fromFile(join(dataDir, 'keys.json')), criminal.subjects, criminal.positions);
    const criminalFingers = (criminal.subjects * criminal.positions.length).toLocaleString('en-US');
    rows.push({ workflow: `seed ${subjects.toLocaleString('en-US')} travellers × 2 fingers, ${criminalFingers} criminal fingers (${criminal.subjects.toLocaleString('en-US')} × ${criminal.positions.length})`, p50: '', p95: '', 'tx/s': '', note: `${((performance.now() - seedStarted) / 1000).toFixed(1)} s (bulk SQL)` });

    const startStarted = performance.now();
    const system = await startSystem(config, { galleryWorkers: availableParallelism() });
    const app = await buildServer(system, { maxUploadBytes: config.maxUploadBytes, rateLimits: config.rateLimits });
    const db = system.databases.gateway!;
    for (const agency of DEMO_AGENCIES) await registerAgency(db, agency);
    const tokens: Record<string, string> = {};
    for (const user of DEMO_USERS) tokens[user.id] = await registerSystemToken(db, demoSystem(user), new Date(Date.now() + 86_400_000));
    rows.push({ workflow: 'start the system, galleries loaded', p50: '', p95: '', 'tx/s': '', note: `${((performance.now() - startStarted) / 1000).toFixed(1)} s, ${system.databases.gateway!.kind}, bus ${system.bus.kind}` });

    try {
      const prints = nist ? await Promise.all((await fixturePrints()).map(nistSize)) : await fixturePrints();
      const size = nist ? `, NIST-size ${NIST_WIDTH}×${NIST_HEIGHT} px` : '';
      const post = async (url: string, user: string, parts: Parameters<typeof multipart>[0]) => {
        const { body, contentType } = multipart(parts);
        const response = await app.inject({ method: 'POST', url, payload: body, headers: { 'content-type': contentType, authorization: `Bearer ${tokens[user]}` } });
        if (response.statusCode !== 200) throw new Error(`${url}: HTTP ${response.statusCode} ${response.body}`);
      };
      const pair = (k: number) => [
        { name: 'finger_2', file: prints[(2 * k) % prints.length] },
        { name: 'finger_7', file: prints[(2 * k + 1) % prints.length] },
      ];
      const today = new Date().toISOString().slice(0, 10);
      const run = `${Date.now().toString(36)}`;

      rows.push(await measure(`port-of-entry enrollment, 2 prints${size}`, requests, (k) =>
        post('/v1/encounters', 'port', [
          { name: 'subject', json: { tcn: `BENCH-POE-${run}-${k}`, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family: `TRAVELLER${k % 10}`, given: 'BENCH' }, dob: '1990-05-05', sex: 'F', nationality: 'FRA', document: { type: 'passport', number: `P${k % 10}`, issuingCountry: 'FRA' } } },
          ...pair(k),
        ]),
      ));
      rows.push(await measure(`booking, 10 prints${size}`, Math.max(5, Math.round(requests / 3)), (k) =>
        post('/v1/bookings', 'booking', [
          { name: 'booking', json: { tcn: `BENCH-CAR-${run}-${k}`, purpose: 'C', name: { family: `ARRESTEE${k}`, given: 'BENCH' }, dob: '1985-01-01', sex: 'M', dateOfArrest: today, charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
          ...POSITIONS_TEN.map((position, f) => ({ name: `finger_${position}`, file: prints[(k + f) % prints.length] })),
        ]),
      ));
      rows.push(await measure(`rapid identification, 2 prints${size}`, requests, (k) => post('/v1/identify?purpose=C', 'field', [{ name: 'tcn', text: `BENCH-RPIS-${run}-${k}` }, ...pair(k + 3)])));
    } finally {
      await app.close();
      await system.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
    await dropDeploymentData(config);
  }
  return rows;
}

const POSITIONS_TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

async function measure(workflow: string, count: number, request: (k: number) => Promise<void>): Promise<Row> {
  await request(count); // warm-up (an index of its own): code compiled, gallery workers ready
  const times: number[] = [];
  const started = performance.now();
  for (let k = 0; k < count; k++) {
    const t0 = performance.now();
    await request(k);
    times.push(performance.now() - t0);
  }
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { workflow, p50: `${at(0.5).toFixed(0)} ms`, p95: `${at(0.95).toFixed(0)} ms`, 'tx/s': (count / seconds).toFixed(2), note: `${count} requests, one at a time` };
}

/** Writes `subjects` travellers with two fingers each straight into the immigration repository's tables. */
async function seedImmigration(config: Config, subjects: number): Promise<void> {
  const random = seededRandom(4242);
  const base: FingerprintTemplate[] = [];
  for (let f = 0; f < BASE_FINGERS; f++) base.push(extractTemplate(renderImpression(subjectFinger(900 + f, 2), mixSeed(900, f))));
  // Sealed like the repositories seal them, with the key file the system will start with.
  const keys = KeyRing.fromFile(join(config.dataDir!, 'keys.json'));
  const template = (owner: string, position: number) => keys.seal(encodeTemplate(perturb(base[Math.floor(random() * base.length)], random)), sealedFor('samples.template', owner, position));
  const fin = (i: number) => `FIN9${String(i).padStart(8, '0')}`;
  const immigration = await openNodeDatabase(config, 'immigration');
  try {
    await migrate(immigration, immigrationMigrations);
    const batch = 500;
    for (let start = 0; start < subjects; start += batch) {
      const ids = Array.from({ length: Math.min(batch, subjects - start) }, (_, k) => start + k);
      await immigration.transaction(async (tx) => {
        await insertRows(tx, 'subjects (fin)', ids.map((i) => [fin(i)]));
        await insertRows(tx, 'identities (fin, family, given, dob, nationality, document_type, document_number, issuing_country, source_tcn)', ids.map((i) => [fin(i), `SEEDED${i}`, 'PERSON', '1970-01-01', 'DEU', 'passport', `S${i}`, 'DEU', `SEED-${i}`]));
        await insertRows(tx, 'samples (fin, position, template, quality, tcn)', ids.flatMap((i) => POSITIONS.map((p) => [fin(i), p, template(fin(i), p), 80, `SEED-${i}`])));
      });
    }
  } finally {
    await immigration.close();
  }
}

/** NIST-size rolled prints at 500 ppi (SP 800-76: about 1.6 × 1.5 in). */
const NIST_WIDTH = 800;
const NIST_HEIGHT = 750;

/**
 * A print as large as a rolled one: the plain impression mirrored outward until it fills
 * 800 × 750 px at the same 500 ppi, so that the whole area holds ridges to segment, enhance and
 * thin, as a rolled print's does (an enlarged image would change the ridge spacing instead).
 */
async function nistSize(png: Uint8Array): Promise<Uint8Array> {
  const image = sharp(png).greyscale();
  const { width, height } = await image.metadata();
  const [w, h] = [width!, height!];
  const left = Math.floor((NIST_WIDTH - w) / 2);
  const top = Math.floor((NIST_HEIGHT - h) / 2);
  return new Uint8Array(await image.extend({ left, right: NIST_WIDTH - w - left, top, bottom: NIST_HEIGHT - h - top, extendWith: 'mirror' }).png().toBuffer());
}

async function fixturePrints(): Promise<Uint8Array[]> {
  const dir = new URL('../fixtures/fingerprints/', import.meta.url);
  const names = (await readdir(dir)).filter((name) => name.endsWith('.png')).sort();
  return Promise.all(names.map(async (name) => new Uint8Array(await readFile(new URL(name, dir)))));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { subjects: { type: 'string' }, requests: { type: 'string' }, fingers: { type: 'string' }, nist: { type: 'boolean' } } });
  process.stdout.write(formatTable('The system under load', await runSystemBench(values as Record<string, string | true>)));
}
