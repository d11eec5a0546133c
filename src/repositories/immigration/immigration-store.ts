import type { FingerprintGallery } from '../../biometrics/matching/gallery.ts';
import type { Database } from '../../infra/db/database.ts';
import type { TemplateSealer } from '../shared/template-sealer.ts';
import type { FaceIndex } from './face-index.ts';

/** What the immigration repository's operations share: its database, its key ring and its galleries. */
export interface ImmigrationStore {
  readonly db: Database;
  readonly sealer: TemplateSealer;
  /** Every enrolled traveller's prints. */
  readonly travellers: FingerprintGallery;
  /** The wanted persons' prints (the watch list the ports search). */
  readonly watchlist: FingerprintGallery;
  readonly faces: FaceIndex;
  /** Stored templates refused when loaded into a gallery (their bindings): out of every search. */
  readonly refusedTemplates: string[];
}
