import { ConcordError } from '../../shared/errors.ts';
import type { Database } from '../../infra/db/database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import type { MessageBus, Unsubscribe } from '../../infra/bus/message-bus.ts';
import type { FaceCandidate } from '../../biometrics/face/face-gallery.ts';
import { combineReports, resealColumn, type ResealReport, type TemplateSealer } from '../shared/template-sealer.ts';
import { storedSample, type StoredSample } from '../shared/stored-sample.ts';
import type { FingerPayload } from '../shared/fingerprint-payload.ts';
import { loadGallery, matchSubject, reloadSubject } from '../shared/identification.ts';
import { GallerySync } from '../shared/gallery-sync.ts';
import { inProcessGallery } from '../shared/node-gallery.ts';
import { combineReextractions, reextractTemplates, type ReextractionReport } from '../shared/reextract-templates.ts';
import { immigrationMigrations } from './migrations.ts';
import { FaceIndex } from './face-index.ts';
import { reextractFaceTemplates } from './face-records.ts';
import type { ImmigrationStore } from './immigration-store.ts';
import type { EnrollmentRequest, EnrollmentResult, ImmigrationHistory, ImmigrationSearchResult, WantedChanged } from './immigration-types.ts';
import { enroll } from './port-enrollment.ts';
import { purgeBefore } from './retention.ts';
import { history, latestPhoto } from './traveller-history.ts';
import { faceSearch, screen, search } from './violator-search.ts';
import { reloadWatchlistEntry, updateWatchlist } from './watchlist.ts';

export type { EnrollmentHit, EnrollmentRequest, EnrollmentResult, ImmigrationHistory, ImmigrationSearchResult, ImmigrationSummary, WantedChanged } from './immigration-types.ts';

/**
 * The immigration repository (IDENT-like) as a node: it owns its database and galleries and
 * answers only over the bus. Travellers are identified by fingers, never by name. Each kind of
 * work has its own file (port-enrollment, violator-search, traveller-history, watchlist,
 * retention); this one starts the node and routes the bus to them.
 */
export class ImmigrationNode {
  private readonly subscriptions: Unsubscribe[] = [];
  private sync?: GallerySync;

  private constructor(private readonly store: ImmigrationStore) {}

  /** Stored templates refused when loaded into a gallery (their bindings): out of every search. */
  get refusedTemplates(): string[] {
    return this.store.refusedTemplates;
  }

  /** Templates in each gallery this node searches, for metrics. */
  get galleryTemplates(): Record<string, number> {
    return { travellers: this.store.travellers.size, watchlist: this.store.watchlist.size };
  }

  static async start(db: Database, bus: MessageBus, options: { galleryWorkers: number; sealer: TemplateSealer }): Promise<ImmigrationNode> {
    await migrate(db, immigrationMigrations);
    // Replicas on PostgreSQL follow each other's changes from here on (the embedded database has one process).
    const follow = db.kind === 'postgres';
    await GallerySync.prune(db);
    const since = follow ? await GallerySync.logEnd(db) : 0;
    const { gallery: travellers, refused } = await loadGallery(db, 'samples.template', 'SELECT id, fin AS subject, position, template FROM samples', options.sealer, { workers: options.galleryWorkers });
    const { gallery: watchlist, refused: refusedWatchlist } = await loadGallery(
      db,
      'watchlist_samples.template',
      `SELECT s.id, s.wanted_id AS subject, s.position, s.template FROM watchlist_samples s JOIN watchlist w USING (wanted_id) WHERE w.status = 'active'`,
      options.sealer,
      { workers: 0 },
    ).catch(async (error: unknown) => {
      await travellers.close(); // its worker threads would keep the process alive
      throw error;
    });
    const node = new ImmigrationNode({ db, sealer: options.sealer, travellers, watchlist, faces: new FaceIndex(db, options.sealer), refusedTemplates: [...refused, ...refusedWatchlist] });
    if (follow) {
      node.sync = await GallerySync.start(db, since, {
        travellers: (fin) => reloadSubject(db, travellers, options.sealer, 'fin', fin, node.store.refusedTemplates),
        watchlist: (wantedId) => reloadWatchlistEntry(node.store, wantedId),
      });
    }
    node.subscriptions.push(await bus.respond('immigration.enroll', (request: EnrollmentRequest) => node.enroll(request)));
    node.subscriptions.push(await bus.respond('immigration.search', (request: { fingers: FingerPayload[] }) => node.search(request.fingers)));
    node.subscriptions.push(await bus.respond('immigration.screen', (request: { fingers: FingerPayload[] }) => node.screen(request.fingers)));
    node.subscriptions.push(await bus.respond('immigration.match', (request: { fingers: FingerPayload[] }) => matchSubject(inProcessGallery(travellers), request.fingers)));
    node.subscriptions.push(await bus.respond('immigration.history', (request: { fin: string }) => node.history(request.fin)));
    node.subscriptions.push(await bus.respond('immigration.sample', (request: { id: string; position: number }) => node.sample(request.id, request.position)));
    node.subscriptions.push(await bus.respond('immigration.face_search', (request: { template: string }) => node.faceSearch(request.template)));
    node.subscriptions.push(await bus.respond('immigration.photo', (request: { fin: string }) => node.latestPhoto(request.fin)));
    node.subscriptions.push(await bus.respond('immigration.purge', (request: { before: string }) => node.purgeBefore(request.before)));
    node.subscriptions.push(await bus.respond('immigration.correct', (request: { fin: string; flag: string }) => node.removeFlag(request.fin, request.flag)));
    node.subscriptions.push(await bus.respond('immigration.health', async () => ({ ok: true, travellers: travellers.size, watchlist: watchlist.size })));
    node.subscriptions.push(await bus.consume('wanted.changed', 'immigration-watchlist', (event: WantedChanged) => node.updateWatchlist(event)));
    // Booking checks that waited while this node was down.
    node.subscriptions.push(await bus.consume('booking.immigration-check', 'immigration-bookings', async (event: { tcn: string; ori?: string; fingers: FingerPayload[] }) => {
      await bus.publish('booking.immigration-result', { tcn: event.tcn, ori: event.ori, result: await node.search(event.fingers) });
    }));
    return node;
  }

  enroll(request: EnrollmentRequest): Promise<EnrollmentResult> {
    return enroll(this.store, request);
  }

  /** The booking-time check (an IDR): is this person known to DHS, and a summary if so. */
  search(fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
    return search(this.store, fingers);
  }

  /** Rapid identification's search, among immigration violators only. */
  screen(fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
    return screen(this.store, fingers);
  }

  /** 1:N face search among immigration violators only: leads. */
  faceSearch(template: string): Promise<{ candidates: FaceCandidate[]; searched: number }> {
    return faceSearch(this.store, template);
  }

  history(fin: string): Promise<ImmigrationHistory> {
    return history(this.store, fin);
  }

  /** The traveller's most recent face photo (JPEG, base64), or null. */
  latestPhoto(fin: string): Promise<{ image: string | null }> {
    return latestPhoto(this.store, fin);
  }

  updateWatchlist(event: WantedChanged): Promise<void> {
    return updateWatchlist(this.store, event);
  }

  /** Retention (see retention.ts). */
  purgeBefore(before: string): Promise<{ samples: number; encounters: number; purged: string[] }> {
    return purgeBefore(this.store, before);
  }

  /** One stored finger of a traveller, for an examiner's side-by-side comparison. */
  async sample(fin: string, position: number): Promise<StoredSample> {
    return storedSample(this.store.db, this.store.sealer, 'SELECT template, image FROM samples WHERE fin = $1 AND position = $2 ORDER BY id DESC LIMIT 1', fin, position);
  }

  /** A redress correction: a flag wrongly raised is removed. */
  async removeFlag(fin: string, flag: string): Promise<{ applied: number }> {
    // A flag already gone is no error (a retried decision); an unknown traveller is.
    const subject = await this.store.db.query('SELECT 1 FROM subjects WHERE fin = $1', [fin]);
    if (subject.length === 0) throw new ConcordError('NOTHING_TO_CORRECT', `no traveller ${fin}`, { fin, flag });
    const removed = await this.store.db.query('DELETE FROM flags WHERE fin = $1 AND kind = $2 RETURNING id', [fin, flag]);
    return { applied: removed.length };
  }

  /** Templates an older extractor made, made again from their stored images (see reextractTemplates). */
  async reextractTemplates(): Promise<ReextractionReport> {
    const { db, sealer, travellers, refusedTemplates } = this.store;
    return combineReextractions([await reextractTemplates(db, sealer, 'fin', travellers, refusedTemplates), await reextractFaceTemplates(db, sealer)]);
  }

  /** Seals every stored template again under the active key (after a key rotation). */
  async resealTemplates(): Promise<ResealReport> {
    const { db, sealer } = this.store;
    return combineReports([
      await resealColumn(db, sealer, 'samples.template', 'fin', 'position'),
      await resealColumn(db, sealer, 'watchlist_samples.template', 'wanted_id', 'position'),
      await resealColumn(db, sealer, 'photos.image', 'fin'),
      await resealColumn(db, sealer, 'photos.face_template', 'fin'),
      await resealColumn(db, sealer, 'samples.image', 'fin', 'position'),
    ]);
  }

  /** Stops answering and consuming (the node goes down); its database stays with its owner. */
  async close(): Promise<void> {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    await this.sync?.close();
    await Promise.all([this.store.travellers.close(), this.store.watchlist.close()]);
  }
}
