import { compareFaces, type FaceComparison } from '../../biometrics/face/face-comparison.ts';
import { decodeFaceTemplate, encodeFaceTemplate, FACE_MODEL_GENERATION, type FaceTemplate } from '../../biometrics/face/face-template.ts';
import type { Database, Sql } from '../../infra/db/database.ts';
import { analyzeFace } from '../../infra/faces/analyze-face.ts';
import { isConcordError } from '../../shared/errors.ts';
import type { ReextractionReport } from '../shared/reextract-templates.ts';
import type { FaceCapture } from '../shared/face-payload.ts';
import { sealedFor, type TemplateSealer } from '../shared/template-sealer.ts';

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

/** Stores a photo with its face template (sealed for the FIN), checks and override. */
export async function insertPhoto(tx: Sql, sealer: TemplateSealer, fin: string, tcn: string, photo: string, face: FaceCapture | undefined): Promise<void> {
  const template = face?.template ? Buffer.from(face.template, 'base64') : null;
  await tx.query('INSERT INTO photos (fin, tcn, image, face_template, face_generation, capture_checks, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    fin,
    tcn,
    sealer.seal(Buffer.from(photo, 'base64'), sealedFor('photos.image', fin)),
    template && sealer.seal(template, sealedFor('photos.face_template', fin)),
    template ? decodeFaceTemplate(template).generation : null,
    face ? JSON.stringify(face.checks) : null,
    face?.override?.reason ?? null,
  ]);
}

/**
 * Face templates made again from their stored photos where the current face model did not make
 * them: an older model generation, or a photo stored before faces were analysed. A photo whose
 * image will not open, or that holds no single face, keeps no template and is reported by its
 * binding; it is marked with the current generation so that it is not tried again.
 */
export async function reextractFaceTemplates(db: Database, sealer: TemplateSealer): Promise<ReextractionReport> {
  const report: ReextractionReport = { reextracted: 0, withoutImage: 0, refused: [] };
  let after = 0;
  for (;;) {
    const rows = await db.query<{ id: number; fin: string; image: Uint8Array }>(
      'SELECT id, fin, image FROM photos WHERE (face_generation IS NULL OR face_generation < $1) AND id > $2 ORDER BY id LIMIT 50',
      [FACE_MODEL_GENERATION, after],
    );
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = Number(row.id);
      const binding = sealedFor('photos.face_template', row.fin);
      let analysis;
      try {
        analysis = await analyzeFace(sealer.open(new Uint8Array(row.image), sealedFor('photos.image', row.fin)), `photo ${row.id}`);
      } catch (error) {
        if (!isConcordError(error)) throw error;
        report.refused.push(binding);
        continue;
      }
      const template = analysis.template && encodeFaceTemplate(analysis.template);
      await db.query('UPDATE photos SET face_template = $1, face_generation = $2, capture_checks = $3 WHERE id = $4', [template ? sealer.seal(template, binding) : null, FACE_MODEL_GENERATION, JSON.stringify(analysis.checks), row.id]);
      if (template) report.reextracted++;
      else report.refused.push(binding);
    }
  }
}
