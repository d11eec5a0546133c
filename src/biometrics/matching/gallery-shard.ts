import { LEAST_EVIDENCE_SCORE } from './calibration.ts';
import { compareTemplates } from './compare-templates.ts';
import { fuseFingerScores, fuseWithoutBest } from './fusion.ts';
import { prepareTemplate, type PreparedTemplate } from './prepared-template.ts';
import { checkedMinutiaPoints, checkTemplate, decodeTemplate, type MinutiaArrays } from '../template-codec.ts';
import { minutiaPairs, type Pairs, type Reach } from './pair-features.ts';
import { decodePairList, encodePairList } from './pair-lists.ts';
import { PositionIndexes, type Voted } from './position-indexes.ts';
import { type ShiftProbe, shiftProbe, shiftScore } from './shift-votes.ts';
import { type PackedFingers, unpacked } from './template-batch.ts';
import { ByteStore } from './byte-store.ts';
import { compatible, positionBit } from './finger-positions.ts';
import { type Effort, VOTERS, voterEffort, votingFingers } from './voting-fingers.ts';

export interface Candidate {
  subjectId: string;
  /** Sum of the per-finger scores that are evidence of a match (see LEAST_EVIDENCE_SCORE). */
  score: number;
  /** Fused false-match rate: how often an unrelated subject would score this well. */
  fmr: number;
  /** Fused false-match rate of the fingers other than the best-scoring one (1 with one finger). */
  fmrWithoutBest: number;
  /** Subjects the search compared the probe with: each was a chance of a false match. */
  searched: number;
  fingers: { position: number; score: number }[];
}

/** A subject as the first stage ranks it for one probe finger: by its best finger's full-matcher score. */
export interface FirstStageCandidate {
  subjectId: string;
  score: number;
}

export interface ProbeFinger {
  position: number;
  template: PreparedTemplate;
  /** The capture's quality, when known: a probe of many fingers lets its best ones vote (voting-fingers.ts). */
  quality?: number;
}

/**
 * Subjects a search hands to the full matcher, at most: for one probe finger, its fingers the first
 * stage ranks best. A shard holding no more fingers than this compares the probe with every one,
 * as an exhaustive search would.
 */
export const SHORTLIST = 200;
/**
 * Comparisons the full matcher makes per search, at most: a probe of many fingers compares each
 * shortlisted subject once per finger, so its shortlist is shorter (40 subjects for ten fingers),
 * and it is cut from the fingers' rankings together, which agree on a mate far more surely than
 * one finger's ranking does.
 */
const COMPARISONS = 2 * SHORTLIST;
/**
 * Fingers of a shard the full matcher looks at per probe finger: the index's best-voted ones,
 * reordered by their scores. The votes find a mate of a distorted print in their first few hundred
 * far more surely than in their first few; the matcher, which tolerates the distortion, then ranks it.
 */
export const REORDERED = 500;
/**
 * Fingers taken from each voting finger's votes, as a share of this per search: a probe of many
 * fingers takes fewer of each one's (250 each for two, 50 for ten), as its fingers together find a
 * mate far more surely than one does.
 */
const LOOKS = REORDERED;
/**
 * Fingers voted for again on turn and shift (shift-votes.ts), as a multiple of those the full
 * matcher then compares: such a vote costs about a third of a comparison, and lifts mates from
 * well below the index's first few hundred.
 */
const REVOTED = 10;
/** Reciprocal-rank fusion of the probe fingers' rankings: a place counts as 1 / (RANK_OFFSET + place), so no one finger's first places outweigh the others'. */
const RANK_OFFSET = 20;
/** Prepared templates kept between searches (about 30 KB each): all of a small gallery, the recently shortlisted of a large one. */
const PREPARED_CACHE = 4096;

/**
 * One share of a gallery: the templates of some subjects, and the search over them. Runs in a
 * worker thread or, for small galleries, in the caller's thread.
 *
 * Templates are held in their compact encoded form (byte-store.ts) with their minutia pairs in an
 * inverted index per finger position (position-indexes.ts, pair-index.ts) and as a list beside
 * them (pair-lists.ts). A search lets the pairs of its voting fingers (voting-fingers.ts) vote in
 * the indexes of positions they may match, ranks each one's best-voted fingers (unless every
 * subject is reached by VOTERS of them: for a lone voter by a second vote on turn and shift, then
 * by the full 1:1 matcher), then compares the whole probe with the best-ranked subjects.
 */
export class GalleryShard {
  private readonly subjects = new Map<string, number[]>();
  private readonly store = new ByteStore();
  /** Each slot's pairs as its minutiae's numbers (pair-lists.ts), for the shift vote. */
  private readonly pairLists = new ByteStore();
  /** Shift-vote scratch: a template's minutiae. */
  private revotePoints: MinutiaArrays | undefined;
  private readonly indexes = new PositionIndexes();
  private slotSubject: string[] = [];
  private slotPosition = new Uint8Array(1024);
  private readonly prepared = new Map<number, PreparedTemplate>();
  /** Subjects by the positions they hold (voting-fingers.ts): a count per mask of positions. */
  private readonly masks = new Map<number, number>();
  private fingerCount = 0;

  /** Adds one finger; `encoded` is a template as template-codec.ts writes it, refused (TEMPLATE_*) unless it passes its checks. */
  add(subjectId: string, position: number, encoded: Uint8Array): void {
    checkTemplate(encoded);
    const points = checkedMinutiaPoints(encoded);
    const pairs = minutiaPairs(points);
    this.indexes.addAll([this.hold(subjectId, position, encoded, encodePairList(pairs, points.count))], [position], [pairs]);
  }

  /**
   * Adds a batch of fingers the caller has checked already (FingerprintGallery does before sending
   * them); the index files the batch's pairs together, which is much faster than one by one.
   */
  addChecked(fingers: PackedFingers): void {
    const slots: number[] = [];
    const positions: number[] = [];
    const pairs: Pairs[] = [];
    for (const { subjectId, position, encoded } of unpacked(fingers)) {
      const points = checkedMinutiaPoints(encoded);
      const own = minutiaPairs(points);
      slots.push(this.hold(subjectId, position, encoded, encodePairList(own, points.count)));
      positions.push(position);
      pairs.push(own);
    }
    this.indexes.addAll(slots, positions, pairs);
  }

  /** Keeps a finger's template, its pair list and whose it is; returns its slot. */
  private hold(subjectId: string, position: number, encoded: Uint8Array, pairList: Uint8Array): number {
    const slot = this.store.put(encoded);
    this.pairLists.put(pairList);
    this.slotSubject[slot] = subjectId;
    if (slot >= this.slotPosition.length) {
      const bigger = new Uint8Array(this.slotPosition.length * 2);
      bigger.set(this.slotPosition);
      this.slotPosition = bigger;
    }
    this.slotPosition[slot] = position;
    let slots = this.subjects.get(subjectId);
    if (!slots) this.subjects.set(subjectId, (slots = []));
    const mask = this.maskOf(slots);
    slots.push(slot);
    if (mask !== 0) this.countMask(mask, -1);
    this.countMask(mask | positionBit(position), 1);
    this.fingerCount++;
    return slot;
  }

  private maskOf(slots: readonly number[]): number {
    let mask = 0;
    for (const slot of slots) mask |= positionBit(this.slotPosition[slot]);
    return mask;
  }

  private countMask(mask: number, change: number): void {
    const count = (this.masks.get(mask) ?? 0) + change;
    if (count > 0) this.masks.set(mask, count);
    else this.masks.delete(mask);
  }

  remove(subjectId: string): void {
    const slots = this.subjects.get(subjectId);
    if (!slots) return;
    for (const slot of slots) {
      this.indexes.remove(slot, this.slotPosition[slot]);
      this.prepared.delete(slot);
    }
    this.countMask(this.maskOf(slots), -1);
    this.fingerCount -= slots.length;
    this.subjects.delete(subjectId);
  }

  get size(): number {
    return this.fingerCount;
  }

  /** Merges the index into one segment, as after a bulk load. */
  compact(): void {
    this.indexes.compact();
  }

  /** Bytes held for search: encoded templates, pair lists and the index (without the subject map). */
  get bytes(): number {
    return this.store.bytes + this.pairLists.bytes + this.indexes.bytes + this.slotPosition.byteLength + 8 * this.slotSubject.length;
  }

  /**
   * Each probe finger is compared with the subject's templates of the same position (position 0,
   * unknown, on either side compares with all); its best score counts. Subjects are ranked by
   * the sum of the scores that are evidence (ties: by fused false-match rate); a subject with
   * none is left out. Every subject held counts as searched: the index looked at all of them.
   */
  search(probe: readonly ProbeFinger[], limit: number, minScore: number): Candidate[] {
    const ranked: Candidate[] = [];
    const { subjects, scored } = this.shortlist(probe);
    for (const subjectId of subjects) {
      const slots = this.subjects.get(subjectId)!;
      const fingers: { position: number; score: number }[] = [];
      let total = 0;
      for (const [k, finger] of probe.entries()) {
        let best = 0;
        for (const slot of slots) {
          const position = this.slotPosition[slot];
          if (!compatible(finger.position, position)) continue;
          const score = scored[k].get(slot) ?? compareTemplates(finger.template, this.preparedOf(slot));
          if (score > best) best = score;
        }
        fingers.push({ position: finger.position, score: best });
        if (best >= LEAST_EVIDENCE_SCORE) total += best;
      }
      // A subject no finger gives any evidence for is no candidate.
      if (total === 0 || total < minScore) continue;
      if (ranked.length === limit && total <= ranked[limit - 1].score) continue;
      const scores = fingers.map((f) => f.score);
      const candidate = { subjectId, score: total, fmr: fuseFingerScores(scores), fmrWithoutBest: fuseWithoutBest(scores), searched: this.subjects.size, fingers };
      insertRanked(ranked, candidate, limit);
    }
    return ranked;
  }

  /**
   * The subjects the full matcher compares: all of them in a small shard, else each voting
   * finger's best few and then the best of their rankings fused (a subject's places count as they
   * do within one finger's ranking, 1 / (RANK_OFFSET + place), added over the fingers). A voting
   * finger's ranking is its best-voted fingers reordered by the full matcher, as a mate may stand
   * low among one finger's votes; when every subject is reached by VOTERS voting fingers, their
   * vote rankings agree on a mate and are taken as they are. With the subjects, each probe
   * finger's full-matcher scores made here, by slot, so that none is made twice.
   */
  private shortlist(probe: readonly ProbeFinger[]): { subjects: Iterable<string>; scored: Map<number, number>[] } {
    const scored = probe.map(() => new Map<number, number>());
    if (this.fingerCount <= SHORTLIST) return { subjects: this.subjects.keys(), scored };
    const wanted = Math.min(SHORTLIST, Math.floor(COMPARISONS / probe.length));
    const depth = Math.min(REORDERED, Math.floor(LOOKS / probe.length));
    const voters = votingFingers(probe, this.masks.keys());
    const effort = voterEffort(voters);
    const rankings = voters.fingers.map((k) =>
      voters.leastReach >= VOTERS ? this.votedSubjects(probe[k], depth, effort.reach) : this.reordered(probe[k], depth, depth, effort, scored[k]).map((c) => c.subjectId),
    );
    // Half the places go to each finger's own best, so that a mate only one finger finds (the others
    // worn, missing or badly placed) is not crowded out by strangers several fingers rank fairly well.
    const chosen = new Set<string>();
    for (const ranking of rankings) for (const subjectId of ranking.slice(0, Math.floor(wanted / (2 * rankings.length)))) chosen.add(subjectId);
    const fused = new Map<string, number>();
    for (const ranking of rankings) ranking.forEach((subjectId, place) => fused.set(subjectId, (fused.get(subjectId) ?? 0) + 1 / (RANK_OFFSET + place)));
    for (const [subjectId] of [...fused].sort((a, b) => b[1] - a[1])) {
      if (chosen.size >= wanted) break;
      chosen.add(subjectId);
    }
    return { subjects: chosen, scored };
  }

  /** The first stage's own ranking for one probe finger searched alone (what its shortlist is cut from), for measuring it. */
  firstStage(finger: ProbeFinger, limit: number): FirstStageCandidate[] {
    return this.reordered(finger, limit, REORDERED, voterEffort(votingFingers([finger], this.masks.keys())));
  }

  /**
   * One voting finger's ranking of subjects: the `depth` best-voted fingers, searched with the
   * `effort` voting-fingers.ts gives it, by their full-matcher scores; `scores`, if given, receives
   * every score made here, by slot.
   */
  private reordered(finger: ProbeFinger, limit: number, depth: number, effort: Effort, scores?: Map<number, number>): FirstStageCandidate[] {
    const ranked: FirstStageCandidate[] = [];
    const seen = new Set<string>();
    for (const { slot, score } of this.firstStageSlots(finger, limit, depth, effort, scores)) {
      const subjectId = this.slotSubject[slot];
      if (seen.has(subjectId)) continue;
      seen.add(subjectId);
      ranked.push({ subjectId, score });
    }
    return ranked;
  }

  /**
   * A finger of a subject other than `except` that the full matcher scores at least `score` with
   * the probe finger, looking at every finger held and stopping at the first: whether an
   * exhaustive 1:N search would rank `except` first (none found) or not. For measuring the first
   * stage; about 0.2 ms per finger, as every template is prepared anew (not
   * through the cache of prepared templates, which a scan of every finger would only empty).
   */
  rival(finger: ProbeFinger, score: number, except: string): FirstStageCandidate | undefined {
    for (const [subjectId, slots] of this.subjects) {
      if (subjectId === except) continue;
      for (const slot of slots) {
        if (!compatible(finger.position, this.slotPosition[slot])) continue;
        const rivalScore = compareTemplates(finger.template, this.freshlyPrepared(slot));
        if (rivalScore >= score) return { subjectId, score: rivalScore };
      }
    }
    return undefined;
  }

  /** The subjects of the index's `depth` best-voted fingers for one probe finger, by their best finger's votes. */
  private votedSubjects(finger: ProbeFinger, depth: number, reach: Reach): string[] {
    const subjects = new Set<string>();
    for (const { slot } of this.indexes.search(finger.position, minutiaPairs(finger.template), depth, reach)) subjects.add(this.slotSubject[slot]);
    return [...subjects];
  }

  /**
   * The index's `depth` best-voted fingers (of REVOTED times as many voted for again, `revoted`, if
   * `effort` says so) compared with the probe finger by the full matcher; the best `limit` by that
   * score (ties: by the votes' order), best first.
   */
  private firstStageSlots(finger: ProbeFinger, limit: number, depth: number, effort: Effort, scores?: Map<number, number>): { slot: number; score: number }[] {
    const compared = Math.max(limit, depth);
    const pairs = minutiaPairs(finger.template);
    const voted = effort.revote
      ? this.revoted(finger, pairs, this.indexes.search(finger.position, pairs, REVOTED * compared, effort.reach)).slice(0, compared)
      : this.indexes.search(finger.position, pairs, compared, effort.reach);
    const scored = voted.map(({ slot }, votedPlace) => ({ slot, votedPlace, score: compareTemplates(finger.template, this.preparedOf(slot)) }));
    for (const { slot, score } of scored) scores?.set(slot, score);
    scored.sort((a, b) => b.score - a.score || a.votedPlace - b.votedPlace);
    return scored.slice(0, limit);
  }

  /**
   * The voted fingers ranked again by the index's score and their shift vote's (shift-votes.ts)
   * added: two z-scores, each of the evidence its own way of counting gives, weighed alike.
   */
  private revoted(finger: ProbeFinger, pairs: Pairs, voted: Voted[]): Voted[] {
    const probe = shiftProbe(pairs, finger.template, this.indexes.weightsFor(finger.position));
    return voted.map(({ slot, score }) => ({ slot, score: score + this.shiftVote(probe, slot) })).sort((a, b) => b.score - a.score);
  }

  private shiftVote(probe: ShiftProbe, slot: number): number {
    const points = (this.revotePoints = checkedMinutiaPoints(this.store.get(slot), this.revotePoints));
    return shiftScore(probe, points, decodePairList(this.pairLists.get(slot), points.count));
  }

  private preparedOf(slot: number): PreparedTemplate {
    let template = this.prepared.get(slot);
    if (template) {
      this.prepared.delete(slot);
    } else {
      template = this.freshlyPrepared(slot);
      if (this.prepared.size >= PREPARED_CACHE) this.prepared.delete(this.prepared.keys().next().value!);
    }
    this.prepared.set(slot, template);
    return template;
  }

  private freshlyPrepared(slot: number): PreparedTemplate {
    return prepareTemplate(decodeTemplate(this.store.get(slot)));
  }
}

/** Keeps `list` sorted by descending score (ties: ascending FMR) and at most `limit` long. */
export function insertRanked(list: Candidate[], candidate: Candidate, limit: number): void {
  let at = list.length;
  while (at > 0 && (list[at - 1].score < candidate.score || (list[at - 1].score === candidate.score && list[at - 1].fmr > candidate.fmr))) at--;
  if (at >= limit) return;
  list.splice(at, 0, candidate);
  if (list.length > limit) list.length = limit;
}
