import { ConcordError } from '../../shared/errors.ts';
import { faceFmrStatement, FACE_MATCH_THRESHOLD } from './face-comparison.ts';
import { DESCRIPTOR_LENGTH, FACE_MODEL_GENERATION, type FaceTemplate } from './face-template.ts';

/** One face candidate of a 1:N search: a lead for an examiner, never an identification. */
export interface FaceCandidate {
  readonly subject: string;
  readonly distance: number;
  /** Whether the distance is within the 1:1 threshold; even then the candidate is only a lead. */
  readonly withinThreshold: boolean;
}

/**
 * The face templates of one repository held in memory for 1:N search: descriptors side by side in
 * one growing Float32Array, searched exhaustively (128 multiply-adds a face, a few milliseconds
 * for a hundred thousand). Only templates of the current model generation are held.
 */
export class FaceGallery {
  private descriptors = new Float32Array(DESCRIPTOR_LENGTH * 1024);
  private subjects: string[] = [];

  get size(): number {
    return this.subjects.length;
  }

  add(subject: string, template: FaceTemplate): void {
    if (template.generation !== FACE_MODEL_GENERATION) throw new ConcordError('TEMPLATE_GENERATION', `a face template of model generation ${template.generation} cannot be searched by generation ${FACE_MODEL_GENERATION}; re-extract it`, { subject });
    const at = this.subjects.length * DESCRIPTOR_LENGTH;
    if (at + DESCRIPTOR_LENGTH > this.descriptors.length) {
      const grown = new Float32Array(this.descriptors.length * 2);
      grown.set(this.descriptors);
      this.descriptors = grown;
    }
    this.descriptors.set(template.descriptor, at);
    this.subjects.push(subject);
  }

  /**
   * The `limit` nearest subjects (each subject once, at its nearest face), nearest first. The scan
   * keeps the nearest few faces only, enough for `limit` subjects unless several subjects each
   * hold many faces close to the probe.
   */
  search(probe: FaceTemplate, limit = 10): FaceCandidate[] {
    if (probe.generation !== FACE_MODEL_GENERATION) throw new ConcordError('TEMPLATE_GENERATION', `a probe of model generation ${probe.generation} cannot be searched`, {});
    const keep = limit * 4;
    const nearest: { k: number; squared: number }[] = [];
    const p = probe.descriptor;
    const d = this.descriptors;
    for (let k = 0; k < this.subjects.length; k++) {
      let sum = 0;
      for (let i = 0, j = k * DESCRIPTOR_LENGTH; i < DESCRIPTOR_LENGTH; i++, j++) {
        const diff = p[i] - d[j];
        sum += diff * diff;
      }
      if (nearest.length === keep && sum >= nearest[keep - 1].squared) continue;
      let at = nearest.length === keep ? keep - 1 : nearest.length;
      if (nearest.length < keep) nearest.push({ k, squared: sum });
      while (at > 0 && nearest[at - 1].squared > sum) {
        nearest[at] = nearest[at - 1];
        at--;
      }
      nearest[at] = { k, squared: sum };
    }
    const seen = new Set<string>();
    const candidates: FaceCandidate[] = [];
    for (const { k, squared } of nearest) {
      const subject = this.subjects[k];
      if (seen.has(subject)) continue;
      seen.add(subject);
      const distance = Math.sqrt(squared);
      candidates.push({ subject, distance: Math.round(distance * 1000) / 1000, withinThreshold: distance <= FACE_MATCH_THRESHOLD });
      if (candidates.length === limit) break;
    }
    return candidates;
  }
}

/** What every 1:N face answer says about its candidates, so no reader takes one for an identification. */
export const FACE_LEAD_NOTICE = `Face candidates are investigative leads for an examiner to review, never an identification: no action may rest on a face candidate alone. ${faceFmrStatement()}.`;
