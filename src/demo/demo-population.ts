import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Gateway } from '../gateway/gateway.ts';
import type { Database } from '../infra/db/database.ts';
import { hashToken, registerAgency, registerUser, type Requester } from '../gateway/access.ts';
import { authenticateSystemToken, registerSystemToken } from '../gateway/client-credentials.ts';
import { DEMO_AGENCIES, DEMO_PASSWORD, DEMO_USERS, demoSystem } from './demo-identities.ts';
import { setCredentials } from '../gateway/sign-in.ts';
import { makeSyntheticPrints, type PrintRequest } from './synthetic-prints.ts';
import { seededRandom } from '../biometrics/synthetic/random.ts';
import { ConcordError } from '../shared/errors.ts';
import { lookAlikes } from './distinct-people.ts';
import { DEMO_FACES, demoFace } from './demo-faces.ts';
import type { FaceCapture } from '../repositories/shared/face-payload.ts';

/**
 * The demo population, made of synthetic people with synthetic fingerprints (no one's real
 * biometrics): travellers with entries, arrestees with rap sheets, people known to both
 * repositories, wanted persons, and people using false papers under a second name. Everything is
 * seeded through the gateway, so it is audited like real traffic. Seeding happens once per
 * database; later starts find it there.
 */
type Kind = 'traveller' | 'arrestee' | 'both' | 'wanted' | 'false_identity';

interface DemoSubject {
  seed: number;
  kind: Kind;
  family: string;
  given: string;
  dob: string;
  sex: 'M' | 'F';
  nationality: string;
}

const PLAN: [Kind, number][] = [['traveller', 14], ['arrestee', 8], ['both', 5], ['wanted', 3], ['false_identity', 2]];
const FAMILY = ['GARCIA', 'NGUYEN', 'SMITH', 'KOWALSKI', 'OKAFOR', 'MULLER', 'ROSSI', 'TANAKA', 'HASSAN', 'SILVA', 'DUBOIS', 'IVANOV', 'PATEL', 'KIM', 'JOHNSON', 'LOPEZ', 'BROWN', 'SANTOS'];
const GIVEN_M = ['JOSE', 'MINH', 'JOHN', 'PIOTR', 'CHINEDU', 'LUKAS', 'MARCO', 'HIRO', 'OMAR', 'RAFAEL'];
const GIVEN_F = ['MARIA', 'LAN', 'EMMA', 'ANNA', 'NGOZI', 'LEA', 'GIULIA', 'YUKI', 'AMINA', 'ANA'];
const NATIONS = ['MEX', 'VNM', 'GBR', 'POL', 'NGA', 'DEU', 'ITA', 'JPN', 'EGY', 'BRA', 'FRA', 'UKR', 'IND', 'KOR'];
const PORTS = ['IAD', 'JFK', 'LAX', 'MIA', 'DFW', 'ORD', 'SEA'];
const CHARGES = [
  { literal: 'BURGLARY', severity: 'felony' as const, ncicOffenseCode: '2299' },
  { literal: 'DRIVING WHILE INTOXICATED', severity: 'misdemeanor' as const, ncicOffenseCode: '5404' },
  { literal: 'AGGRAVATED ASSAULT', severity: 'felony' as const, ncicOffenseCode: '1315' },
  { literal: 'THEFT', severity: 'misdemeanor' as const, ncicOffenseCode: '2399' },
  { literal: 'POSSESSION OF CONTROLLED SUBSTANCE', severity: 'felony' as const, ncicOffenseCode: '3562' },
];
const POSITIONS = [2, 7]; // right and left index fingers, as ports captured them
/** A subject whose prints look like another's gets those of seed + this × round instead (see distinct-people.ts). */
const REDRAW_SEED_STEP = 100_000;
const MAX_REDRAWS = 5;

export const DEMO_TOKEN_PREFIX = 'demo-';
/** Demo systems' tokens expire a year after the first seeding; later starts keep that date. */
const DEMO_TOKEN_LIFETIME_MS = 365 * 86_400_000;

export interface DemoInfo {
  users: { id: string; name: string; role: string; ori: string; token: string; totpSecret: string }[];
  probes: { label: string; files: string[] }[];
  seeded: boolean;
  /**
   * Who is who, when this start seeded the population: each demo person (labelled as the probes
   * are) with the FINs and FBI numbers the repositories answered to their own enrollments and
   * bookings. A record under two people's names is a false identification.
   */
  people?: DemoPerson[];
}

export interface DemoPerson {
  label: string;
  fins: string[];
  fbiNumbers: string[];
}

/** Gives a demo user the demo password and a one-time-code secret, once; later starts keep them. */
async function demoSignInSecret(db: Database, userId: string): Promise<string> {
  const [row] = await db.query<{ totp_secret: string | null }>('SELECT totp_secret FROM users WHERE id = $1', [userId]);
  return row?.totp_secret ?? (await setCredentials(db, userId, DEMO_PASSWORD)).totpSecret;
}

export async function ensureDemoPopulation(gateway: Gateway, db: Database, dataDir: string, log: (line: string) => void): Promise<DemoInfo> {
  for (const agency of DEMO_AGENCIES) await registerAgency(db, agency);
  const users = [];
  for (const user of DEMO_USERS) {
    const token = `${DEMO_TOKEN_PREFIX}${user.id}`;
    await registerUser(db, user);
    const system = demoSystem(user);
    const [known] = await db.query('SELECT 1 FROM clients WHERE id = $1 AND token_hash = $2', [system.id, hashToken(token)]);
    if (!known) await registerSystemToken(db, system, new Date(Date.now() + DEMO_TOKEN_LIFETIME_MS), token);
    users.push({ ...user, token, totpSecret: await demoSignInSecret(db, user.id) });
  }
  const probeDir = join(dataDir, 'demo-probes');
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM transactions WHERE tcn LIKE 'DEMO-%'`);
  if (Number(n) > 0) return { users, probes: await listProbes(probeDir), seeded: false };

  const random = seededRandom(2026);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const subjects: DemoSubject[] = [];
  let seed = 1000;
  for (const [kind, count] of PLAN) {
    for (let k = 0; k < count; k++) {
      const sex = random() < 0.5 ? 'M' : 'F';
      const year = 1955 + Math.floor(random() * 50);
      subjects.push({
        seed: seed++,
        kind,
        family: pick(FAMILY),
        given: pick(sex === 'M' ? GIVEN_M : GIVEN_F),
        dob: `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
        sex,
        nationality: pick(NATIONS),
      });
    }
  }
  const stranger = seed++;

  log(`generating synthetic fingerprints for ${subjects.length} demo subjects…`);
  const started = performance.now();
  // Impressions 1 and 2 are enrolled or booked; impression 3 is kept as a PNG to try searches with.
  const requests: PrintRequest[] = subjects.map((s) => ({ subjectSeed: s.seed, positions: POSITIONS, impressions: [1, 2, 3], png: s.kind !== 'traveller' || s.seed % 4 === 0 }));
  requests.push({ subjectSeed: stranger, positions: POSITIONS, impressions: [1], png: true });
  const prints = await makeSyntheticPrints(requests);
  for (let round = 1; ; round++) {
    const redraw = lookAlikes(prints);
    if (redraw.length === 0) break;
    if (round > MAX_REDRAWS) throw new ConcordError('DEMO_UNAVAILABLE', `the synthetic demo prints of ${redraw.length} subjects still look like others' after ${MAX_REDRAWS} redraws`, { subjects: redraw.length });
    log(`  ${redraw.length} subject(s) drawn anew: their synthetic prints look like another's`);
    const again = await makeSyntheticPrints(redraw.map((k) => ({ ...requests[k], subjectSeed: requests[k].subjectSeed + REDRAW_SEED_STEP * round })));
    redraw.forEach((k, n) => (prints[k] = again[n]));
  }
  log(`  ${prints.length * 2 * 3 - 4} impressions rendered and extracted in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const as = async (id: string): Promise<Requester> => (await authenticateSystemToken(db, `${DEMO_TOKEN_PREFIX}${id}`, new Date()))!;
  const port = await as('port');
  const booking = await as('booking');
  let tcn = 0;
  const nextTcn = (kind: string) => `DEMO-${kind}-${String(++tcn).padStart(4, '0')}`;
  const date = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const passport = (s: DemoSubject, n = 1) => ({ type: 'passport', number: `${s.nationality.slice(0, 1)}${s.seed}${n}`, issuingCountry: s.nationality });

  const people = new Map(subjects.map((s) => [s, { label: labelOf(s), fins: [] as string[], fbiNumbers: [] as string[] }]));
  const recordOf = (s: DemoSubject, list: 'fins' | 'fbiNumbers', id: string | undefined) => {
    const ids = people.get(s)![list];
    if (id && !ids.includes(id)) ids.push(id);
  };
  const enroll = async (s: DemoSubject, impression: number, daysAgo: number, identity: Partial<DemoSubject> = {}, documentNumber = 1, photo?: { photo: string; face: FaceCapture }) => {
    const answer = await gateway.enroll(port, {
      ...photo,
      tcn: nextTcn('POE'),
      port: pick(PORTS),
      inspectionDate: date(daysAgo),
      traveller: {
        name: { family: identity.family ?? s.family, given: identity.given ?? s.given },
        dob: identity.dob ?? s.dob,
        sex: s.sex,
        nationality: s.nationality,
        admissionClass: pick(['B2', 'B1', 'F1', 'H1B']),
        document: passport(s, documentNumber),
      },
      fingers: prints[subjects.indexOf(s)].impressions[impression - 1].fingers,
    });
    recordOf(s, 'fins', answer.fin);
    return answer;
  };
  const fbi = await as('fbi');
  const book = async (s: DemoSubject, impression: number, daysAgo: number, outcome: 'convicted' | 'dismissed' | 'pending') => {
    const answer = await gateway.book(booking, {
      tcn: nextTcn('CAR'),
      purpose: 'C',
      arrest: {
        name: { family: s.family, given: s.given },
        dob: s.dob,
        sex: s.sex,
        dateOfArrest: date(daysAgo),
        charges: [pick(CHARGES)],
        dispositions: [],
      },
      fingers: prints[subjects.indexOf(s)].impressions[impression - 1].fingers,
    });
    recordOf(s, 'fbiNumbers', answer.sre.fbiNumber);
    // The court's disposition reaches the rap sheet through the FBI, not through the arresting agency.
    if (outcome !== 'pending') {
      const disposition = { court: 'Dallas County Court', date: date(daysAgo - 60), outcome, ...(outcome === 'convicted' ? { sentence: '2 years probation' } : {}) };
      await gateway.reportDisposition(fbi, { fbiNumber: answer.sre.fbiNumber, arrestTcn: answer.tcn, disposition });
    }
    return answer;
  };

  // The first returning travellers and the first false identity get faces (demo-faces.ts); the
  // last two faces are kept for the false identity, its own and the one it shows next time.
  let faces = 0;
  const nextFace = (keep = 0) => (faces < DEMO_FACES - keep ? faces++ : undefined);
  for (const s of subjects) {
    switch (s.kind) {
      case 'traveller': {
        const face = s.seed % 2 === 0 ? nextFace(2) : undefined;
        await enroll(s, 1, 400 + (s.seed % 300), {}, 1, face === undefined ? undefined : await demoFace(face));
        if (s.seed % 2 === 0) await enroll(s, 2, 30 + (s.seed % 60), {}, 1, face === undefined ? undefined : await demoFace(face, true));
        break;
      }
      case 'arrestee':
        await book(s, 1, 2000 + (s.seed % 900), s.seed % 3 === 0 ? 'dismissed' : 'convicted');
        if (s.seed % 2 === 0) await book(s, 2, 200, 'pending');
        break;
      case 'both':
        await enroll(s, 1, 500);
        await book(s, 2, 20, 'pending');
        break;
      case 'wanted': {
        const answer = await book(s, 1, 900, 'convicted');
        await gateway.enterWanted(booking, {
          fbiNumber: answer.sre.fbiNumber,
          warrantNo: `TX-${2026 - (s.seed % 3)}-${String(s.seed).padStart(5, '0')}`,
          offense: pick(['HOMICIDE', 'ARMED ROBBERY', 'FAILURE TO APPEAR', 'KIDNAPPING']),
          dateOfWarrant: date(100),
          extradition: 'full',
          caution: s.seed % 2 ? ['ARMED AND DANGEROUS'] : [],
        });
        break;
      }
      case 'false_identity': {
        // A false identity shows a face other than the one on record: a face mismatch besides the identity conflict.
        const face = nextFace();
        const shown = face === undefined ? undefined : nextFace();
        await enroll(s, 1, 700, {}, 1, face === undefined ? undefined : await demoFace(face));
        await enroll(s, 2, 40, { family: pick(FAMILY), given: pick(s.sex === 'M' ? GIVEN_M : GIVEN_F), dob: `19${70 + (s.seed % 25)}-06-15` }, 2, shown === undefined ? undefined : await demoFace(shown, true));
        break;
      }
    }
  }

  // Impression 3 of some subjects, written as PNG files, to try identification with.
  await mkdir(probeDir, { recursive: true });
  const labelled = subjects.map((s, k) => ({ label: labelOf(s), result: prints[k] })).concat([{ label: `stranger-${stranger}`, result: prints[prints.length - 1] }]);
  for (const { label, result } of labelled) {
    const impression = result.impressions[result.impressions.length - 1];
    for (const { position, png } of impression.pngs) await writeFile(join(probeDir, `${label}_finger_${position}.png`), png);
  }
  log(`  demo population seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { users, probes: await listProbes(probeDir), seeded: true, people: [...people.values()] };
}

function labelOf(s: DemoSubject): string {
  return `${s.kind}-${s.seed}`;
}

async function listProbes(dir: string): Promise<{ label: string; files: string[] }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const byLabel = new Map<string, string[]>();
  for (const name of names.sort()) {
    const label = name.replace(/_finger_\d+\.png$/, '');
    byLabel.set(label, [...(byLabel.get(label) ?? []), join(dir, name)]);
  }
  return [...byLabel].map(([label, files]) => ({ label, files }));
}
