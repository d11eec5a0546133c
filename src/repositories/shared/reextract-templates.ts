import { setImmediate } from 'node:timers/promises';
import type { Sql } from '../../infra/db/database.ts';
import { decodeWsq } from '../../formats/wsq/index.ts';
import { ENGINE_PPI } from '../../biometrics/gray-image.ts';
import { EXTRACTOR_GENERATION, extractTemplate } from '../../biometrics/extraction/extract-template.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import type { FingerprintTemplate } from '../../biometrics/template.ts';
import { isConcordError } from '../../shared/errors.ts';
import { isRefusedSealedData, sealedFor, type TemplateSealer } from './template-sealer.ts';
import { reloadSubject } from './identification.ts';
import type { GalleryWriter } from './node-gallery.ts';

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
 * let go between them. After each page, even one cut short by an error, the gallery is given
 * the changed subjects' new templates (those it refuses join `refusedTemplates`) and `changed`
 * hears of them. A row changed meanwhile (a key rotation sealed it again) is left for the next
 * run.
 */
export async function reextractTemplates(
  db: Sql,
  sealer: TemplateSealer,
  owner: 'fbi_number' | 'fin',
  gallery: GalleryWriter,
  refusedTemplates: string[],
  changed: (subjects: ReadonlySet<string>) => Promise<void> = async () => undefined,
): Promise<ReextractionReport> {
  const report: ReextractionReport = { reextracted: 0, withoutImage: 0, refused: [] };
  const stale = `(extractor IS NULL OR extractor < ${EXTRACTOR_GENERATION})`;
  const [{ n }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples WHERE ${stale} AND image IS NULL`);
  report.withoutImage = Number(n);
  let after = 0;
  for (;;) {
    const rows = await db.query<{ id: number; subject: string; position: number; template: Uint8Array; image: Uint8Array }>(
      `SELECT id, ${owner} AS subject, position, template, image FROM samples WHERE ${stale} AND image IS NOT NULL AND id > $1 ORDER BY id LIMIT 100`,
      [after],
    );
    if (rows.length === 0) return report;
    const subjects = new Set<string>();
    try {
      for (const row of rows) {
        const position = Number(row.position);
        const template = templateOfImage(sealer, row.image, sealedFor('samples.image', row.subject, position), report);
        if (!template) continue;
        const sealed = sealer.seal(encodeTemplate(template), sealedFor('samples.template', row.subject, position));
        const updated = await db.execute('UPDATE samples SET template = $1, quality = $2, extractor = $3 WHERE id = $4 AND template = $5', [sealed, template.quality, EXTRACTOR_GENERATION, row.id, row.template]);
        if (updated === 0) continue;
        report.reextracted++;
        subjects.add(row.subject);
        await setImmediate(); // extraction takes tens of milliseconds: requests go on between prints
      }
    } finally {
      for (const subject of subjects) await reloadSubject(db, gallery, sealer, owner, subject, refusedTemplates);
      if (subjects.size > 0) await changed(subjects);
    }
    after = Number(rows[rows.length - 1].id);
  }
}

/** The current extractor's template of a stored image; undefined, and the binding reported, if the image is refused or yields none. */
function templateOfImage(sealer: TemplateSealer, stored: Uint8Array, binding: string, report: ReextractionReport): FingerprintTemplate | undefined {
  let plain;
  try {
    plain = sealer.open(new Uint8Array(stored), binding);
  } catch (error) {
    // Altered or moved: refused. A missing key is not this image's fault: the job stops.
    if (!isRefusedSealedData(error)) throw error;
    report.refused.push(binding);
    return undefined;
  }
  try {
    const wsq = decodeWsq(plain);
    return extractTemplate({ width: wsq.width, height: wsq.height, pixels: wsq.pixels, ppi: wsq.ppi ?? ENGINE_PPI });
  } catch (error) {
    // An image that does not decode, or yields no template: the old template stays.
    if (!isConcordError(error)) throw error;
    report.refused.push(binding);
    return undefined;
  }
}
