import { FaceGallery, type FaceCandidate } from '../../biometrics/face/face-gallery.ts';
import { decodeFaceTemplate, FACE_MODEL_GENERATION, type FaceTemplate } from '../../biometrics/face/face-template.ts';
import type { Database } from '../../infra/db/database.ts';
import { sealedFor, type TemplateSealer } from '../shared/template-sealer.ts';

/**
 * The immigration repository's face templates in memory for 1:N search, loaded on the first face
 * search (a process that never searches faces never opens them) and brought up to date before
 * each: photos another replica stored are read by id; a purge, which removes photos, reloads all.
 */
export class FaceIndex {
  private gallery = new FaceGallery();
  private lastId = 0;
  private rows = 0;

  constructor(private readonly db: Database, private readonly sealer: TemplateSealer) {}

  async search(probe: FaceTemplate, limit: number): Promise<FaceCandidate[]> {
    await this.refresh();
    return this.gallery.search(probe, limit);
  }

  private async refresh(): Promise<void> {
    const [{ n }] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM photos WHERE face_template IS NOT NULL AND face_generation = $1', [FACE_MODEL_GENERATION]);
    if (Number(n) < this.rows) {
      this.gallery = new FaceGallery();
      this.lastId = 0;
      this.rows = 0;
    }
    const fresh = await this.db.query<{ id: number; fin: string; face_template: Uint8Array }>(
      'SELECT id, fin, face_template FROM photos WHERE id > $1 AND face_template IS NOT NULL AND face_generation = $2 ORDER BY id',
      [this.lastId, FACE_MODEL_GENERATION],
    );
    for (const row of fresh) {
      this.gallery.add(row.fin, decodeFaceTemplate(this.sealer.open(new Uint8Array(row.face_template), sealedFor('photos.face_template', row.fin))));
      this.lastId = Number(row.id);
      this.rows++;
    }
  }
}
