import { ConcordError } from '../../shared/errors.ts';
import type { Sql } from '../../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from './template-sealer.ts';

/** A stored finger as it leaves a repository: its template and, when kept, its WSQ image (base64). */
export interface StoredSample {
  template: string;
  image: string | null;
}

/** The latest stored finger `position` of `owner`; `sql` selects (template, image) by ($1 owner, $2 position). */
export async function storedSample(db: Sql, sealer: TemplateSealer, sql: string, owner: string, position: number): Promise<StoredSample> {
  const [row] = await db.query<{ template: Uint8Array; image: Uint8Array | null }>(sql, [owner, position]);
  if (!row) throw new ConcordError('SUBJECT_NOT_FOUND', `no stored finger ${position} for ${owner}`, { subject: owner, position });
  return {
    template: Buffer.from(sealer.open(new Uint8Array(row.template), sealedFor('samples.template', owner, position))).toString('base64'),
    image: row.image ? Buffer.from(sealer.open(new Uint8Array(row.image), sealedFor('samples.image', owner, position))).toString('base64') : null,
  };
}
