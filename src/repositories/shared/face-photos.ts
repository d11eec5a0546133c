import { decodeFaceTemplate, encodeFaceTemplate, FACE_MODEL_GENERATION } from '../../biometrics/face/face-template.ts';
import type { Database, Sql } from '../../infra/db/database.ts';
import { analyzeFace } from '../../infra/faces/analyze-face.ts';
import { isConcordError } from '../../shared/errors.ts';
import type { ReextractionReport } from './reextract-templates.ts';
import type { FaceCapture } from './face-payload.ts';
import { sealedFor, type TemplateSealer } from './template-sealer.ts';

/**
 * A repository's `photos` table, keyed by its own identifier (the immigration repository's FIN,
 * the criminal repository's FBI number): each photo and its face template sealed and bound to it.
 */
export type PhotoKey = 'fin' | 'fbi_number';

/** Stores a photo with its face template (sealed for its owner: the FIN or the FBI number), checks and override. */
export async function insertPhoto(tx: Sql, sealer: TemplateSealer, id: string, tcn: string, photo: string, face: FaceCapture | undefined, key: PhotoKey = 'fin'): Promise<void> {
  const template = face?.template ? Buffer.from(face.template, 'base64') : null;
  await tx.query(`INSERT INTO photos (${key}, tcn, image, face_template, face_generation, capture_checks, override_reason) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    id,
    tcn,
    sealer.seal(Buffer.from(photo, 'base64'), sealedFor('photos.image', id)),
    template && sealer.seal(template, sealedFor('photos.face_template', id)),
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
export async function reextractFaceTemplates(db: Database, sealer: TemplateSealer, key: PhotoKey = 'fin'): Promise<ReextractionReport> {
  const report: ReextractionReport = { reextracted: 0, withoutImage: 0, refused: [] };
  let after = 0;
  for (;;) {
    const rows = await db.query<{ id: number; owner: string; image: Uint8Array }>(
      `SELECT id, ${key} AS owner, image FROM photos WHERE (face_generation IS NULL OR face_generation < $1) AND id > $2 ORDER BY id LIMIT 50`,
      [FACE_MODEL_GENERATION, after],
    );
    if (rows.length === 0) return report;
    for (const row of rows) {
      after = Number(row.id);
      const binding = sealedFor('photos.face_template', row.owner);
      let analysis;
      try {
        analysis = await analyzeFace(sealer.open(new Uint8Array(row.image), sealedFor('photos.image', row.owner)), `photo ${row.id}`);
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
