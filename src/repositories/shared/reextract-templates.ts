import { setImmediate } from 'node:timers/promises';
import type { Sql } from '../../infra/db/database.ts';
import { decodeWsq } from '../../formats/wsq/index.ts';
import { ENGINE_PPI } from '../../biometrics/gray-image.ts';
import { EXTRACTOR_GENERATION, extractTemplate } from '../../biometrics/extraction/extract-template.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { isConcordError } from '../../shared/errors.ts';
import { sealedFor, type TemplateSealer } from './template-sealer.ts';
import { addSealedTemplates } from './identification.ts';
import type { FingerprintGallery } from '../../biometrics/matching/gallery.ts';

/** What a re-extraction did. */
export interface ReextractionReport {
  /** Templates made again from their stored image by the current extractor. */
  reextracted: number;
  /** Templates of an older or unknown extractor with no stored image: they stay as they are. */
  withoutImage: number;
  /** Samples whose image would not open or yield a template, by binding: left as they were. */
  refused: string[];
}

export function combineReextractions(reports: readonly ReextractionReport[]): ReextractionReport {
  return {
    reextracted: reports.reduce((n, r) => n + r.reextracted, 0),
    withoutImage: reports.reduce((n, r) => n + r.withoutImage, 0),
    refused: reports.flatMap((r) => r.refused),
  };
}

/**
 * Makes again, from the stored WSQ image, every template of `samples` that an older or unknown
 * generation of the extractor made, so that a repository matches as well as the engine now can
 * (templates of different generations match each other less well). Online and resumable: rows
 * are rewritten one at a time, each with the generation that made it, and the event loop is
 * let go between them; the gallery then holds each changed subject's new templates. Returns the
 * report and the subjects whose templates changed.
 */
export async function reextractTemplates(db: Sql, sealer: TemplateSealer, owner: 'fbi_number' | 'fin', gallery: FingerprintGallery): Promise<{ report: ReextractionReport; subjects: Set<string> }> {
  const report: ReextractionReport = { reextracted: 0, withoutImage: 0, refused: [] };
  const subjects = new Set<string>();
  const stale = `(extractor IS NULL OR extractor < ${EXTRACTOR_GENERATION})`;
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE ${stale} AND image IS NULL`);
  report.withoutImage = Number(n);
  let after = 0;
  for (;;) {
    const rows = await db.query<{ id: number; subject: string; position: number; image: Uint8Array }>(
      `SELECT id, ${owner} AS subject, position, image FROM samples WHERE ${stale} AND image IS NOT NULL AND id > $1 ORDER BY id LIMIT 100`,
      [after],
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const position = Number(row.position);
      const binding = sealedFor('samples.image', row.subject, position);
      let template;
      try {
        const wsq = decodeWsq(sealer.open(new Uint8Array(row.image), binding));
        template = extractTemplate({ width: wsq.width, height: wsq.height, pixels: wsq.pixels, ppi: wsq.ppi ?? ENGINE_PPI });
      } catch (error) {
        // A sealed value refused, or an image that does not decode or yield a template: report it, keep the old template.
        if (!isConcordError(error)) throw error;
        report.refused.push(binding);
        continue;
      }
      const sealed = sealer.seal(encodeTemplate(template), sealedFor('samples.template', row.subject, position));
      await db.execute('UPDATE samples SET template = $1, quality = $2, extractor = $3 WHERE id = $4', [sealed, template.quality, EXTRACTOR_GENERATION, row.id]);
      report.reextracted++;
      subjects.add(row.subject);
      await setImmediate(); // extraction takes tens of milliseconds: requests go on between prints
    }
    after = Number(rows[rows.length - 1].id);
  }
  for (const subject of subjects) {
    const samples = await db.query<{ subject: string; position: number; template: Uint8Array }>(`SELECT ${owner} AS subject, position, template FROM samples WHERE ${owner} = $1`, [subject]);
    gallery.remove(subject);
    report.refused.push(...addSealedTemplates(gallery, 'samples.template', samples, sealer));
  }
  return { report, subjects };
}
