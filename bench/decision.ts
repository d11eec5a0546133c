import { extractTemplate } from '../src/biometrics/extraction/extract-template.ts';
import { compareTemplates } from '../src/biometrics/matching/compare-templates.ts';
import { fuseFingerScores, fuseWithoutBest } from '../src/biometrics/matching/fusion.ts';
import { prepareTemplate, type PreparedTemplate } from '../src/biometrics/matching/prepared-template.ts';
import { mixSeed, synthesizeInParallel, type SynthesisJob } from '../src/biometrics/synthetic/index.ts';
import { IDENTIFIED_FMR, matchLevel, POSSIBLE_FMR, type MatchLevel } from '../src/repositories/shared/identification.ts';
import { FVC_SETS, FVC2004_SETS, fvcTemplates, type FvcSet } from './datasets.ts';
import type { Row } from './table.ts';

/** Gallery sizes the rule is judged at: a small agency list and a national repository. */
const GALLERY_SIZES = [20, 10_000];
const SYNTH_SEED = 20040;
const SYNTH_PEOPLE = 50;
const SYNTH_IMPRESSIONS = 3;

/**
 * The 1:N decision rule before security review F2, kept here only to compare with: the fused FMR
 * of one comparison against fixed thresholds, whatever the gallery's size, with no corroboration.
 */
export function matchLevelBeforeF2(fmr: number): MatchLevel {
  if (fmr <= IDENTIFIED_FMR) return 'identified';
  return fmr <= POSSIBLE_FMR ? 'possible' : 'none';
}

/** The rule in force, on one candidate's per-finger scores, as if `searched` subjects had been searched. */
function matchLevelNow(scores: readonly number[], searched: number): MatchLevel {
  return matchLevel({ subjectId: '', score: 0, fmr: fuseFingerScores(scores), fmrWithoutBest: fuseWithoutBest(scores), searched, fingers: [] });
}

/** person → finger → impression; every person has the same fingers in the same order. */
type People = PreparedTemplate[][][];

/** Per-finger scores of two-finger searches; an impostor search names its (unordered) pair of people. */
interface Searches {
  genuine: number[][];
  impostor: { scores: number[]; people: string }[];
}

/**
 * The per-finger scores of every two-finger search a set of people allows: one impression of a
 * person as the probe, another impression (genuine) or any impression of another person
 * (impostor) as the gallery record. Finger k of the probe is compared with finger k of the record.
 */
function twoFingerSearches(people: People): Searches {
  const genuine: number[][] = [];
  const impostor: { scores: number[]; people: string }[] = [];
  const fingers = people[0].length;
  const impressions = people[0][0].length;
  // scores[finger][probe person][probe impression][record person][record impression]
  const scores = Array.from({ length: fingers }, (_, k) =>
    people.map((probe) => probe[k].map((template) => people.map((record) => record[k].map((other) => compareTemplates(template, other))))),
  );
  for (let p = 0; p < people.length; p++) {
    for (let g = 0; g < people.length; g++) {
      for (let i = 0; i < impressions; i++) {
        for (let j = 0; j < impressions; j++) {
          if (p === g && i === j) continue;
          const searchScores = scores.map((finger) => finger[p][i][g][j]);
          if (p === g) genuine.push(searchScores);
          else impostor.push({ scores: searchScores, people: p < g ? `${p}|${g}` : `${g}|${p}` });
        }
      }
    }
  }
  return { genuine, impostor };
}

const pct = (count: number, of: number) => `${((100 * count) / of).toFixed(1)}%`;

const LEVELS: MatchLevel[] = ['identified', 'possible', 'none'];

/**
 * One row per gallery size and rule: how the genuine searches end (their mate's level), how many
 * impostor searches identify or are possible, and how many pairs of people that makes (a pair
 * counted at the best level any of its searches, either way round, reached).
 */
function decisionRows(source: string, searches: Searches): Row[] {
  const rows: Row[] = [];
  const rules: [string, (scores: number[], searched: number) => MatchLevel][] = [
    ['before F2', (scores) => matchLevelBeforeF2(fuseFingerScores(scores))],
    ['now', matchLevelNow],
  ];
  const personPairs = new Set(searches.impostor.map((search) => search.people)).size;
  for (const searched of GALLERY_SIZES) {
    for (const [rule, level] of rules) {
      const genuine: Record<MatchLevel, number> = { identified: 0, possible: 0, none: 0 };
      for (const scores of searches.genuine) genuine[level(scores, searched)]++;
      const impostor: Record<MatchLevel, number> = { identified: 0, possible: 0, none: 0 };
      const pairBest = new Map<string, MatchLevel>();
      for (const search of searches.impostor) {
        const reached = level(search.scores, searched);
        impostor[reached]++;
        const before = pairBest.get(search.people);
        if (!before || LEVELS.indexOf(reached) < LEVELS.indexOf(before)) pairBest.set(search.people, reached);
      }
      const pairs = (at: MatchLevel) => [...pairBest.values()].filter((best) => best === at).length;
      const n = searches.genuine.length;
      rows.push({
        source,
        N: searched,
        rule,
        'genuine searches: identified / possible / none': `${pct(genuine.identified, n)} / ${pct(genuine.possible, n)} / ${pct(genuine.none, n)} of ${n.toLocaleString('en-US')}`,
        'impostor searches: identified / possible': `${impostor.identified} / ${impostor.possible} of ${searches.impostor.length.toLocaleString('en-US')}`,
        'impostor person pairs: identified / possible': `${pairs('identified')} / ${pairs('possible')} of ${personPairs.toLocaleString('en-US')}`,
      });
    }
  }
  return rows;
}

/**
 * Virtual two-finger people of an FVC set (10 fingers × 8 impressions): the fingers in name
 * order, the k-th (k = 1..5) paired with the (k+5)-th, so 5 people of 8 impressions each.
 */
async function fvcPeople(set: FvcSet): Promise<People | undefined> {
  const items = await fvcTemplates(set);
  if (!items) return undefined;
  const byFinger = new Map<string, PreparedTemplate[]>();
  for (const { finger, template } of items) {
    const list = byFinger.get(finger) ?? [];
    list.push(prepareTemplate(template));
    byFinger.set(finger, list);
  }
  const fingers = [...byFinger.keys()].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const half = Math.floor(fingers.length / 2);
  return fingers.slice(0, half).map((finger, k) => [byFinger.get(finger)!, byFinger.get(fingers[k + half])!]);
}

/** Synthetic people, each two distinct seeded masters with the same number of impressions, made on one core. */
async function syntheticPeople(): Promise<People> {
  const jobs: SynthesisJob[] = Array.from({ length: 2 * SYNTH_PEOPLE }, (_, f) => ({
    masterSeed: mixSeed(SYNTH_SEED, f + 1),
    impressions: Array.from({ length: SYNTH_IMPRESSIONS }, (_, k) => ({ seed: mixSeed(SYNTH_SEED, f + 1, k + 1) })),
  }));
  const masters: PreparedTemplate[][] = new Array(jobs.length);
  await synthesizeInParallel(jobs, (index, images) => {
    masters[index] = images.map((image) => prepareTemplate(extractTemplate(image)));
  }, 1);
  return Array.from({ length: SYNTH_PEOPLE }, (_, p) => [masters[2 * p], masters[2 * p + 1]]);
}

/**
 * The 1:N decision rule on genuine and impostor two-finger searches, before and after security
 * review F2, at gallery sizes of 20 and 10,000 subjects. The gallery size enters as the rule
 * takes it (each candidate's FMR counted once per subject searched), from the pairwise scores:
 * no gallery is built. A genuine search is counted by the level of its mate, whatever else ranks.
 */
export async function runDecisionBench(): Promise<{ title: string; rows: Row[] }[]> {
  const rows: Row[] = [];
  for (const set of [...FVC_SETS, ...FVC2004_SETS]) {
    const people = await fvcPeople(set);
    if (!people) {
      rows.push({ source: set.name, note: 'not found: set CONCORD_DATASETS to the folder holding it' });
      continue;
    }
    rows.push(...decisionRows(`${set.name} (${people.length} × 2 fingers × ${people[0][0].length})`, twoFingerSearches(people)));
  }
  rows.push(...decisionRows(`synthetic (${SYNTH_PEOPLE} × 2 fingers × ${SYNTH_IMPRESSIONS}, seed ${SYNTH_SEED})`, twoFingerSearches(await syntheticPeople())));
  return [{ title: '1:N decision rule on two-finger searches, before and after security review F2 (fingers k and k+5 of a set as one person)', rows }];
}
