import { LEAST_EVIDENCE_SCORE } from './calibration.ts';
import { compareTemplates } from './compare-templates.ts';
import { fuseFingerScores, fuseWithoutBest } from './fusion.ts';
import type { PreparedTemplate } from './prepared-template.ts';

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

export interface ProbeFinger {
  position: number;
  template: PreparedTemplate;
}

/**
 * One share of a gallery: the templates of some subjects, and the search over them. Runs in a
 * worker thread or, for small galleries, in the caller's thread.
 */
export class GalleryShard {
  private readonly subjects = new Map<string, { positions: number[]; templates: PreparedTemplate[] }>();
  private fingerCount = 0;

  add(subjectId: string, position: number, template: PreparedTemplate): void {
    let subject = this.subjects.get(subjectId);
    if (!subject) {
      subject = { positions: [], templates: [] };
      this.subjects.set(subjectId, subject);
    }
    subject.positions.push(position);
    subject.templates.push(template);
    this.fingerCount++;
  }

  remove(subjectId: string): void {
    const subject = this.subjects.get(subjectId);
    if (!subject) return;
    this.fingerCount -= subject.templates.length;
    this.subjects.delete(subjectId);
  }

  get size(): number {
    return this.fingerCount;
  }

  /**
   * Each probe finger is compared with the subject's templates of the same position (position 0,
   * unknown, on either side compares with all); its best score counts. Subjects are ranked by
   * the sum of the scores that are evidence (ties: by fused false-match rate); a subject with
   * none is left out.
   */
  search(probe: readonly ProbeFinger[], limit: number, minScore: number): Candidate[] {
    const ranked: Candidate[] = [];
    for (const [subjectId, subject] of this.subjects) {
      const fingers: { position: number; score: number }[] = [];
      let total = 0;
      for (const finger of probe) {
        let best = 0;
        for (let k = 0; k < subject.templates.length; k++) {
          const position = subject.positions[k];
          if (finger.position !== 0 && position !== 0 && position !== finger.position) continue;
          const score = compareTemplates(finger.template, subject.templates[k]);
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
}

/** Keeps `list` sorted by descending score (ties: ascending FMR) and at most `limit` long. */
export function insertRanked(list: Candidate[], candidate: Candidate, limit: number): void {
  let at = list.length;
  while (at > 0 && (list[at - 1].score < candidate.score || (list[at - 1].score === candidate.score && list[at - 1].fmr > candidate.fmr))) at--;
  if (at >= limit) return;
  list.splice(at, 0, candidate);
  if (list.length > limit) list.length = limit;
}
