import { compareFaces, type FaceComparison } from '../../biometrics/face/face-comparison.ts';
import { decodeFaceTemplate, FACE_MODEL_GENERATION, type FaceTemplate } from '../../biometrics/face/face-template.ts';
import type { Sql } from '../../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from '../shared/template-sealer.ts';

export { insertPhoto, reextractFaceTemplates } from '../shared/face-photos.ts';

/**
 * The face side of a traveller's record: each photo's template, sealed and bound to the FIN like
 * a fingerprint template, with the model generation that made it, its capture checks and any
 * officer's override; and the 1:1 check of a returning traveller's new photo against them.
 */
export interface FaceVerification {
  /** Photos on record under the FIN with a template this model can compare. */
  readonly compared: number;
  /** The nearest of them. */
  readonly nearest?: FaceComparison;
  /** True when no photo on record matches: a reason for secondary inspection. */
  readonly mismatch: boolean;
}

/** The templates of the photos on record under a FIN, of the current model generation (older ones await re-extraction). */
export async function faceTemplatesOnRecord(tx: Sql, sealer: TemplateSealer, fin: string): Promise<FaceTemplate[]> {
  const rows = await tx.query<{ face_template: Uint8Array }>('SELECT face_template FROM photos WHERE fin = $1 AND face_template IS NOT NULL AND face_generation = $2 ORDER BY id', [fin, FACE_MODEL_GENERATION]);
  return rows.map((row) => decodeFaceTemplate(sealer.open(new Uint8Array(row.face_template), sealedFor('photos.face_template', fin))));
}

/** Today's photo against those on record: a match with any of them is a match (a face ages, photos differ). */
export function verifyFace(probe: FaceTemplate, onRecord: readonly FaceTemplate[]): FaceVerification {
  const comparisons = onRecord.map((t) => compareFaces(probe, t)).sort((a, b) => a.distance - b.distance);
  return { compared: comparisons.length, nearest: comparisons[0], mismatch: comparisons.length > 0 && !comparisons[0].match };
}

