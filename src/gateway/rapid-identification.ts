import { ConcordError } from '../shared/errors.ts';
import type { CriminalIdentification } from '../repositories/criminal/criminal-node.ts';
import type { ImmigrationSearchResult } from '../repositories/immigration/immigration-node.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import { incompleteSearch } from '../repositories/shared/node-gallery.ts';
import type { Requester } from './access.ts';
import { opensImmigration, type Grant, type PurposeCode } from './dissemination-policy.ts';
import { linked } from './identity-links.ts';
import { PRINTS } from './one-stop-history.ts';
import { once } from './tcn-claims.ts';
import type { FaceCandidate } from '../biometrics/face/face-gallery.ts';
import { faceLeads, faceLeadsWanted } from './face-search.ts';
import type { WorkflowContext } from './workflow-context.ts';

/** A rapid identification's answer (domain brief 5.5): red, amber or green, and what the grant lets it say. */
export interface IdentifyAnswer {
  tcn: string;
  color: 'red' | 'amber' | 'green';
  summary: { name?: string; fbiNumber?: string; fin?: string; category?: string; caveats: string[]; matchLevel: string };
  purpose: PurposeCode;
  /** False when the immigration repository was searched and did not answer. */
  immigrationAvailable: boolean;
  /** True when the purpose's grant kept the immigration repository out of the search. */
  withheld: boolean;
  /** Set when part of the criminal gallery did not answer: "search incomplete: N of M shards answered". */
  searchIncomplete?: string;
  /** Amber or absent prints and a photo, under a grant that allows face searches: leads for an examiner, never an identification. */
  faceLeads?: { identification: false; notice: string; candidates: FaceCandidate[] };
}

/** Immigration flags that make a rapid identification red, like a want. */
const RED_FLAGS = ['removed', 'expedited_removal', 'watchlist'];

/**
 * Builds the answer from the two searches; pure. Names and identifiers come only from a
 * repository that identified the prints, so a possible candidate's name never stands beside
 * another person's identifier; the immigration part follows the grant (§6.1): a name only under
 * a full grant, the FIN and the violator flags under the IDR summary too. When both repositories
 * identified someone and the identity links do not make them one person (`samePerson` false),
 * the immigration record is not named beside the criminal one: it is said to need an examiner.
 */
export function rapidAnswer(
  tcn: string,
  purpose: PurposeCode,
  grant: Grant,
  criminal: CriminalIdentification,
  immigration: ImmigrationSearchResult | undefined,
  immigrationSearched: boolean,
  samePerson = true,
): { answer: IdentifyAnswer; wanted: boolean } {
  const criminalIdentified = criminal.level === 'identified';
  const wanted = criminalIdentified ? criminal.wanted[0] : undefined;
  const violator = immigration?.level === 'identified' && samePerson ? immigration.summary : undefined;
  const unconfirmed = immigration?.level === 'identified' && !samePerson;
  const violations = violator?.flags ?? [];
  const red = violations.filter((flag) => RED_FLAGS.includes(flag));
  const known = criminal.level !== 'none' || (immigration !== undefined && immigration.level !== 'none');
  const identified = criminalIdentified || violator !== undefined;
  // Green says no one is wanted; a search of part of the gallery cannot say that.
  const color = wanted || red.length > 0 ? 'red' : known || criminal.incomplete ? 'amber' : 'green';
  const searchIncomplete = criminal.incomplete && incompleteSearch(criminal.incomplete).message;
  const category = [
    wanted
      ? `wanted: ${wanted.offense} (warrant ${wanted.warrantNo}, ${wanted.enteringOri})`
      : violations.length > 0
        ? `immigration: ${violations.join(', ')}`
        : identified
          ? 'known subject, not wanted'
          : known
            ? 'possible match: an examiner must confirm it before anything is said of the person'
            : undefined,
    unconfirmed ? 'an immigration violator record also matched another identity: an examiner must confirm it is the same person' : undefined,
    searchIncomplete ? `${searchIncomplete}: part of the criminal records was not searched, so this is no clearance; search again` : undefined,
  ].filter((part) => part !== undefined).join('; ') || undefined;
  const answer: IdentifyAnswer = {
    tcn,
    color,
    summary: {
      name: criminalIdentified ? criminal.name : grant.immigration === 'full' ? violator?.names[0] : undefined,
      fbiNumber: criminalIdentified ? criminal.fbiNumber : undefined,
      fin: violator?.fin,
      category,
      caveats: wanted ? wanted.caution : [],
      matchLevel: criminal.level !== 'none' ? criminal.level : immigration?.level ?? 'none',
    },
    purpose,
    immigrationAvailable: immigrationSearched && immigration !== undefined,
    withheld: !immigrationSearched,
  };
  if (searchIncomplete) answer.searchIncomplete = searchIncomplete;
  return { answer, wanted: wanted !== undefined };
}

/**
 * Rapid identification (domain brief 5.5): the criminal repository is searched whole (a person
 * with only an old arrest is amber, scenario 17), the immigration repository only among its
 * violators, and only when the purpose's grant opens it. A candidate below the identification
 * threshold is named by no one: a possible match gives its match level and nothing else.
 */
export async function identify(ctx: WorkflowContext, requester: Requester, request: { tcn: string; purpose?: string; fingers: FingerPayload[]; face?: string }): Promise<IdentifyAnswer> {
  const purpose = await ctx.requirePurpose(requester, request.purpose, 'identify.refused', PRINTS);
  await ctx.authorize(requester, 'identify', purpose);
  if (request.fingers.length === 0 && request.face !== undefined) {
    await requireFaceIdentificationGrant(ctx, requester, purpose, request.tcn);
    return identifyByFace(ctx, requester, purpose, { tcn: request.tcn, face: request.face });
  }
  // The answer is a wanted status: a purpose whose grant gives none is refused before any search.
  const grant = await ctx.requireGrant(requester, purpose, { event: 'identify.refused', tcn: request.tcn, recordIds: [PRINTS] }, (g) => g.wanted, 'no wanted status');
  if (request.fingers.length < 1 || request.fingers.length > 10) {
    throw await ctx.refused(requester, { event: 'identify.refused', purpose, tcn: request.tcn }, new ConcordError('FINGER_COUNT', `rapid identification takes 1 to 10 fingers, or a photo alone, got ${request.fingers.length} fingers`, { fingers: request.fingers.length }));
  }
  const searchImmigration = opensImmigration(grant);
  return once(ctx, requester, request.tcn, 'identify', purpose, request.fingers, async () => {
    const [criminal, immigration] = await Promise.all([
      ctx.bus.request<CriminalIdentification>('criminal.identify', { fingers: request.fingers }),
      searchImmigration ? ctx.bus.request<ImmigrationSearchResult>('immigration.screen', { fingers: request.fingers }, 3000).catch(() => undefined) : undefined,
    ]);
    // Two repositories that each identified someone name one person only if the identity links say so.
    const bothIdentified = criminal.level === 'identified' && immigration?.level === 'identified';
    const samePerson = !bothIdentified || (await linked(ctx.db, criminal.fbiNumber!, immigration.fin!));
    const { answer, wanted } = rapidAnswer(request.tcn, purpose, grant, criminal, immigration, searchImmigration, samePerson);
    // Amber prints: the photo is searched as a second modality, its candidates audited as leads.
    if (faceLeadsWanted(answer.color, grant, request.face !== undefined)) answer.faceLeads = await faceLeads(ctx, request.face!);
    const leads = answer.faceLeads?.candidates.map((c) => `lead:${c.subject}`) ?? [];
    return {
      answer,
      audit: {
        event: 'identify.answer',
        outcome: 'success',
        recordIds: [criminal.fbiNumber, immigration?.fin, criminal.incomplete && incompleteSearch(criminal.incomplete).marker, ...leads].filter((x): x is string => !!x),
        fieldClasses: [...(answer.color === 'green' ? [] : ['identity', ...(wanted ? ['wanted'] : [])]), ...(leads.length ? ['face_lead'] : [])],
      },
    };
  });
}

/**
 * Rapid identification with a photo and no prints (the device could not take them): the photo is
 * searched among immigration violators for leads, under a grant that allows face searches. No
 * prints means nothing can be said of wants or identity, so the answer is amber and names no one;
 * the leads go to an examiner and are audited as leads.
 */
async function identifyByFace(ctx: WorkflowContext, requester: Requester, purpose: PurposeCode, request: { tcn: string; face: string }): Promise<IdentifyAnswer> {
  // The template stands for the photo in the TCN's digest: a retry of the same photo makes the same one.
  return once(ctx, requester, request.tcn, 'identify', purpose, { fingers: [], face: request.face }, async () => {
    const leads = await faceLeads(ctx, request.face);
    const answer = faceOnlyAnswer(request.tcn, purpose, leads);
    return {
      answer,
      audit: { event: 'identify.answer', outcome: 'success', recordIds: leads.candidates.map((c) => `lead:${c.subject}`), fieldClasses: leads.candidates.length > 0 ? ['face_lead'] : [] },
    };
  });
}

/** The answer to a photo-only rapid identification; pure. Amber whatever the leads: without prints no one is cleared or named. */
function faceOnlyAnswer(tcn: string, purpose: PurposeCode, leads: NonNullable<IdentifyAnswer['faceLeads']>): IdentifyAnswer {
  return {
    tcn,
    color: 'amber',
    summary: {
      category: 'no fingerprints searched: wants and criminal records unknown, no one cleared; face leads only, for an examiner to confirm',
      caveats: [],
      matchLevel: 'none',
    },
    purpose,
    immigrationAvailable: true,
    withheld: false,
    faceLeads: leads,
  };
}

/**
 * A rapid identification without prints is a face search among immigration violators: refused,
 * and audited, unless the grant allows both. Asked before the photo is analysed, so that a
 * requester without the grant learns nothing of it.
 */
export async function checkFaceIdentificationGrant(ctx: WorkflowContext, requester: Requester, requested: string | undefined, tcn: string): Promise<void> {
  const purpose = await ctx.requirePurpose(requester, requested, 'identify.refused', PRINTS);
  await ctx.authorize(requester, 'identify', purpose);
  await requireFaceIdentificationGrant(ctx, requester, purpose, tcn);
}

async function requireFaceIdentificationGrant(ctx: WorkflowContext, requester: Requester, purpose: PurposeCode, tcn: string): Promise<void> {
  await ctx.requireGrant(requester, purpose, { event: 'identify.refused', tcn, recordIds: ['face'] }, (g) => g.faces === 'search_leads' && opensImmigration(g), 'no face search, so a rapid identification needs prints');
}
