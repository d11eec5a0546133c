import { ConcordError } from '../../shared/errors.ts';
import type { Sql } from '../../infra/db/database.ts';
import type { TemplateSealer } from './template-sealer.ts';

/** A stored finger as it leaves a repository: its template and, when kept, its WSQ image (base64). */
export interface StoredSample {
  template: string;
  image: string | null;
}

export async function storedSample(db: Sql, sealer: TemplateSealer, sql: string, params: unknown[]): Promise<StoredSample> {
  const [row] = await db.query<{ template: Uint8Array; image: Uint8Array | null }>(sql, params);
  if (!row) throw new ConcordError('SUBJECT_NOT_FOUND', `no stored finger ${params[1]} for ${params[0]}`, { subject: String(params[0]), position: Number(params[1]) });
  return {
    template: Buffer.from(sealer.open(new Uint8Array(row.template))).toString('base64'),
    image: row.image ? Buffer.from(sealer.open(new Uint8Array(row.image))).toString('base64') : null,
  };
}
