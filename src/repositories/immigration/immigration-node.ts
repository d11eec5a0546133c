import { ConcordError } from '../../shared/errors.ts';
import type { Database, Sql } from '../../infra/db/database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import type { MessageBus, Unsubscribe } from '../../infra/bus/message-bus.ts';
import type { FingerprintGallery } from '../../biometrics/matching/gallery.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { combineReports, resealColumn, sealedFor, type ResealReport, type TemplateSealer } from '../shared/template-sealer.ts';
import { storedSample, type StoredSample } from '../shared/stored-sample.ts';
import { fromFingerPayload, imageBytes, type FingerPayload } from '../shared/fingerprint-payload.ts';
import { addSealedTemplates, loadGallery, matchLevel, matchSubject, reloadSubject } from '../shared/identification.ts';
import { GallerySync } from '../shared/gallery-sync.ts';
import { inProcessGallery } from '../shared/node-gallery.ts';
import { combineReextractions, reextractTemplates, type ReextractionReport } from '../shared/reextract-templates.ts';
import { checkEnrollment, enrollmentEligibility, type Traveller } from './enrollment-rules.ts';
import { latestDate } from '../../shared/calendar-date.ts';
import { immigrationMigrations } from './migrations.ts';
import { decodeFaceTemplate } from '../../biometrics/face/face-template.ts';
import type { FaceCapture } from '../shared/face-payload.ts';
import type { FaceCandidate } from '../../biometrics/face/face-gallery.ts';
import { FaceIndex } from './face-index.ts';
import { faceTemplatesOnRecord, insertPhoto, reextractFaceTemplates, verifyFace, type FaceVerification } from './face-records.ts';

/**
 * The immigration repository (IDENT-like) as a node: it owns its database and galleries and
 * answers only over the bus. Travellers are identified by fingers, never by name.
 */
export interface EnrollmentRequest {
  tcn: string;
  port: string;
  officer: string;
  ori: string;
  inspectionDate: string;
  traveller: Traveller & {
    name: { family: string; given: string };
    sex?: string;
    document: { type: string; number: string; issuingCountry: string; expiry?: string };
  };
  fingers: FingerPayload[];
  /** Face photo, a normalised JPEG in base64. */
  photo?: string;
  /** The photo's capture checks and face template (absent for a photo taken before faces were checked). */
  face?: FaceCapture;
}

export interface EnrollmentHit {
  /** document_reuse: the travel document is already bound to another person's prints (identity fraud). */
  /** face_mismatch: today's photo matches none of the photos on record under the FIN the prints found. */
  kind: 'identity_conflict' | 'wanted' | 'removed' | 'document_reuse' | 'face_mismatch';
  detail: Record<string, unknown>;
}

export interface EnrollmentResult {
  tcn: string;
  fin?: string;
  decision: 'admit' | 'refer_secondary';
  exemption?: string;
  /** An exempt traveller's prints, sent all the same: searched against wanted persons, then not kept. */
  exemptPrints?: 'checked_against_wanted_not_kept';
  returningTraveller: boolean;
  hits: EnrollmentHit[];
  /** A returning traveller's photo against the photos on record under the FIN (absent: nothing to compare). */
  faceVerification?: FaceVerification;
  admittedUntil?: string;
  encounterId: number;
}

export interface ImmigrationSearchResult {
  match: boolean;
  fin?: string;
  level: 'identified' | 'possible' | 'none';
  summary?: ImmigrationSummary;
}

export interface ImmigrationSummary {
  fin: string;
  names: string[];
  nationality?: string;
  statusClass: string;
  lastEntry?: { date: string; place: string; admissionClass: string; admittedUntil?: string };
  encounters: number;
  flags: string[];
}

export interface ImmigrationHistory {
  fin: string;
  identities: { family: string; given: string; dob: string; nationality: string; document: string }[];
  encounters: { at: string; type: string; place: string; admissionClass: string; decision: string; admittedUntil?: string; exemption?: string }[];
  flags: { kind: string; since: string }[];
  /** Protected content (asylum, 8 U.S.C. 1367, consular notes) never leaves this node; only that it exists. */
  protectedContentExists: boolean;
  /** Face photos on file (fetched one by one, each disclosure audited). */
  photos: number;
}

const STAY_MONTHS: Record<string, number> = { B1: 6, B2: 6, B1B2: 6 };
/** Flags that make a traveller an immigration violator or a person of special interest (RISC's gallery). */
const VIOLATOR_FLAGS = ['overstay', 'removed', 'expedited_removal', 'watchlist', 'visa_refused_cat1', 'identity_conflict'];
/**
 * How many ranked candidates rapid identification looks through for a violator. Candidates come
 * best first, and one past the possible threshold ends the look, so this bounds only the case of
 * many lawful travellers all scoring above it.
 */
const SCREEN_CANDIDATES = 10;
/** Face leads a 1:N face search answers at most. */
const FACE_SEARCH_CANDIDATES = 5;

export class ImmigrationNode {
  private readonly subscriptions: Unsubscribe[] = [];
  private sync?: GallerySync;
  private readonly faces: FaceIndex;

  private constructor(
    private readonly db: Database,
    private readonly travellers: FingerprintGallery,
    private readonly watchlist: FingerprintGallery,
    private readonly sealer: TemplateSealer,
    /** Stored templates refused when loaded into a gallery (their bindings): out of every search. */
    readonly refusedTemplates: string[],
  ) {
    this.faces = new FaceIndex(db, sealer);
  }

  /** Templates in each gallery this node searches, for metrics. */
  get galleryTemplates(): Record<string, number> {
    return { travellers: this.travellers.size, watchlist: this.watchlist.size };
  }

  static async start(db: Database, bus: MessageBus, options: { galleryWorkers: number; sealer: TemplateSealer }): Promise<ImmigrationNode> {
    await migrate(db, immigrationMigrations);
    // Replicas on PostgreSQL follow each other's changes from here on (the embedded database has one process).
    const follow = db.kind === 'postgres';
    await GallerySync.prune(db);
    const since = follow ? await GallerySync.logEnd(db) : 0;
    const { gallery: travellers, refused } = await loadGallery(db, 'samples.template', 'SELECT fin AS subject, position, template FROM samples', options.galleryWorkers, options.sealer);
    const { gallery: watchlist, refused: refusedWatchlist } = await loadGallery(
      db,
      'watchlist_samples.template',
      `SELECT s.wanted_id AS subject, s.position, s.template FROM watchlist_samples s JOIN watchlist w USING (wanted_id) WHERE w.status = 'active'`,
      0,
      options.sealer,
    );
    const node = new ImmigrationNode(db, travellers, watchlist, options.sealer, [...refused, ...refusedWatchlist]);
    if (follow) {
      node.sync = await GallerySync.start(db, since, {
        travellers: (fin) => reloadSubject(db, travellers, options.sealer, 'fin', fin, node.refusedTemplates),
        watchlist: (wantedId) => node.reloadWatchlistEntry(wantedId),
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

  /**
   * Retention: biometrics and encounters captured before `before` are deleted, and travellers
   * left with neither, with everything else about them. Returns the counts, and the FINs of
   * travellers deleted whole, so that the logs about them can go too.
   */
  async purgeBefore(before: string): Promise<{ samples: number; encounters: number; purged: string[] }> {
    const result = await this.db.transaction(async (tx) => {
      const samples = await tx.query<{ fin: string }>('DELETE FROM samples WHERE captured_at < $1 RETURNING fin', [before]);
      await tx.query('DELETE FROM photos WHERE captured_at < $1', [before]);
      const encounters = await tx.query('DELETE FROM encounters WHERE at < $1 RETURNING id', [before]);
      const gone = await tx.query<{ fin: string }>(
        `SELECT fin FROM subjects s WHERE NOT EXISTS (SELECT 1 FROM samples WHERE fin = s.fin) AND NOT EXISTS (SELECT 1 FROM encounters WHERE fin = s.fin)`,
      );
      const fins = gone.map((r) => r.fin);
      for (const table of ['identities', 'flags', 'protected_records', 'photos']) await tx.query(`DELETE FROM ${table} WHERE fin = ANY($1)`, [fins]);
      await tx.query('DELETE FROM subjects WHERE fin = ANY($1)', [fins]);
      return { touched: [...new Set(samples.map((r) => r.fin))], samples: samples.length, encounters: encounters.length, purged: fins };
    });
    // The in-memory gallery follows: reload the remaining prints of every traveller touched.
    for (const fin of result.touched) await reloadSubject(this.db, this.travellers, this.sealer, 'fin', fin, this.refusedTemplates);
    return { samples: result.samples, encounters: result.encounters, purged: result.purged };
  }

  /** One stored finger of a traveller, for an examiner's side-by-side comparison. */
  async sample(fin: string, position: number): Promise<StoredSample> {
    return storedSample(this.db, this.sealer, 'SELECT template, image FROM samples WHERE fin = $1 AND position = $2 ORDER BY id DESC LIMIT 1', fin, position);
  }

  /** The traveller's most recent face photo (JPEG, base64), or null. */
  async latestPhoto(fin: string): Promise<{ image: string | null }> {
    const [row] = await this.db.query<{ image: Uint8Array }>('SELECT image FROM photos WHERE fin = $1 ORDER BY id DESC LIMIT 1', [fin]);
    return { image: row ? Buffer.from(this.sealer.open(new Uint8Array(row.image), sealedFor('photos.image', fin))).toString('base64') : null };
  }

  /** A redress correction: a flag wrongly raised is removed. */
  async removeFlag(fin: string, flag: string): Promise<{ applied: number }> {
    // A flag already gone is no error (a retried decision); an unknown traveller is.
    const subject = await this.db.query('SELECT 1 FROM subjects WHERE fin = $1', [fin]);
    if (subject.length === 0) throw new ConcordError('NOTHING_TO_CORRECT', `no traveller ${fin}`, { fin, flag });
    const removed = await this.db.query('DELETE FROM flags WHERE fin = $1 AND kind = $2 RETURNING id', [fin, flag]);
    return { applied: removed.length };
  }

  /** Templates an older extractor made, made again from their stored images (see reextractTemplates). */
  async reextractTemplates(): Promise<ReextractionReport> {
    return combineReextractions([await reextractTemplates(this.db, this.sealer, 'fin', this.travellers, this.refusedTemplates), await reextractFaceTemplates(this.db, this.sealer)]);
  }

  /** Seals every stored template again under the active key (after a key rotation). */
  async resealTemplates(): Promise<ResealReport> {
    return combineReports([
      await resealColumn(this.db, this.sealer, 'samples.template', 'fin', 'position'),
      await resealColumn(this.db, this.sealer, 'watchlist_samples.template', 'wanted_id', 'position'),
      await resealColumn(this.db, this.sealer, 'photos.image', 'fin'),
      await resealColumn(this.db, this.sealer, 'photos.face_template', 'fin'),
      await resealColumn(this.db, this.sealer, 'samples.image', 'fin', 'position'),
    ]);
  }

  /** Stops answering and consuming (the node goes down); its database stays with its owner. */
  async close(): Promise<void> {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    await this.sync?.close();
    await Promise.all([this.travellers.close(), this.watchlist.close()]);
  }

  async enroll(request: EnrollmentRequest): Promise<EnrollmentResult> {
    const previous = await this.db.query<{ response: EnrollmentResult }>('SELECT response FROM encounters WHERE tcn = $1 AND ori = $2', [request.tcn, request.ori]);
    if (previous.length > 0) return previous[0].response; // same TCN: same answer, nothing new stored

    // Eligibility is decided from dates that exist and a class that does: an impossible date of
    // birth must not make a wanted traveller age-exempt.
    const admissionClass = checkEnrollment(request.traveller, request.inspectionDate, latestDate(new Date()));
    const eligibility = enrollmentEligibility(request.traveller, request.inspectionDate);
    if (!eligibility.required) {
      // Prints captured and sent are searched against wants before the exemption discards them.
      if (request.fingers.length > 10) throw new ConcordError('FINGER_COUNT', `at most 10 fingers, got ${request.fingers.length}`, { fingers: request.fingers.length });
      const hits = request.fingers.length > 0 ? await this.wantedHits(request.fingers.map(fromFingerPayload)) : [];
      return this.db.transaction(async (tx) => {
        const result: EnrollmentResult = {
          tcn: request.tcn,
          decision: hits.length > 0 ? 'refer_secondary' : 'admit',
          exemption: eligibility.reason,
          ...(request.fingers.length > 0 ? { exemptPrints: 'checked_against_wanted_not_kept' as const } : {}),
          returningTraveller: false,
          hits,
          encounterId: 0,
        };
        result.encounterId = await this.insertEncounter(tx, request, undefined, result, admissionClass);
        return result;
      });
    }
    if (request.fingers.length !== 2 && request.fingers.length !== 10) {
      throw new ConcordError('FINGER_COUNT', `port enrollment takes 2 index fingers or 10 fingers, got ${request.fingers.length}`, { fingers: request.fingers.length });
    }
    const probe = request.fingers.map(fromFingerPayload);
    const [candidates, wanted] = await Promise.all([this.travellers.search(probe, { limit: 3 }), this.wantedHits(probe)]);
    const hits: EnrollmentHit[] = [];

    const prior = matchLevel(candidates[0]) === 'identified' ? candidates[0].subjectId : undefined;
    let faceVerification: FaceVerification | undefined;
    if (prior) {
      const identities = await this.db.query<{ family: string; given: string; dob: string; document_number: string; issuing_country: string }>(
        'SELECT family, given, dob, document_number, issuing_country FROM identities WHERE fin = $1 ORDER BY id',
        [prior],
      );
      const same = identities.some((i) => sameIdentity(i, request.traveller));
      if (!same && identities.length > 0) {
        hits.push({
          kind: 'identity_conflict',
          detail: {
            priorFin: prior,
            priorName: `${identities[0].family}, ${identities[0].given}`,
            priorDob: identities[0].dob,
            documents: [
              ...identities.map((i) => `${i.issuing_country} ${i.document_number}`),
              `${request.traveller.document.issuingCountry} ${request.traveller.document.number}`,
            ],
          },
        });
      }
      const removed = await this.db.query<{ since: string }>(`SELECT since FROM flags WHERE fin = $1 AND kind IN ('removed', 'expedited_removal')`, [prior]);
      if (removed.length > 0) hits.push({ kind: 'removed', detail: { fin: prior, since: removed[0].since } });
      if (request.face?.template) {
        const verification = verifyFace(decodeFaceTemplate(Buffer.from(request.face.template, 'base64')), await faceTemplatesOnRecord(this.db, this.sealer, prior));
        faceVerification = verification;
        if (verification.mismatch) hits.push({ kind: 'face_mismatch', detail: { fin: prior, distance: verification.nearest!.distance, threshold: verification.nearest!.threshold, fmr: verification.nearest!.fmr, photosCompared: verification.compared } });
      }
    }
    hits.push(...(await this.documentReuse(request.traveller.document, prior)));
    hits.push(...wanted);

    const result = await this.db.transaction(async (tx) => {
      const fin = prior ?? `FIN${(await tx.query<{ n: number }>(`SELECT nextval('fin_sequence') AS n`))[0].n}`;
      if (!prior) await tx.query('INSERT INTO subjects (fin) VALUES ($1)', [fin]);
      const t = request.traveller;
      await tx.query(
        `INSERT INTO identities (fin, family, given, dob, sex, nationality, document_type, document_number, issuing_country, source_tcn)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [fin, t.name.family, t.name.given, t.dob, t.sex ?? null, t.nationality, t.document.type, t.document.number, t.document.issuingCountry, request.tcn],
      );
      for (const [k, finger] of probe.entries()) {
        const image = imageBytes(request.fingers[k]);
        await tx.query('INSERT INTO samples (fin, position, template, quality, tcn, image, extractor) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          fin,
          finger.position,
          this.sealer.seal(encodeTemplate(finger.template), sealedFor('samples.template', fin, finger.position)),
          finger.template.quality,
          request.tcn,
          image && this.sealer.seal(image, sealedFor('samples.image', fin, finger.position)),
          request.fingers[k].extractor ?? null,
        ]);
      }
      if (request.photo) await insertPhoto(tx, this.sealer, fin, request.tcn, request.photo, request.face);
      if (hits.some((h) => h.kind === 'identity_conflict' || h.kind === 'document_reuse')) {
        await tx.query(`INSERT INTO flags (fin, kind, since, source_ref) VALUES ($1, 'identity_conflict', $2, $3)`, [fin, request.inspectionDate, request.tcn]);
      }
      const refer = hits.length > 0;
      const result: EnrollmentResult = {
        tcn: request.tcn,
        fin,
        decision: refer ? 'refer_secondary' : 'admit',
        returningTraveller: prior !== undefined,
        hits,
        ...(faceVerification ? { faceVerification } : {}),
        admittedUntil: refer ? undefined : addMonths(request.inspectionDate, STAY_MONTHS[admissionClass] ?? 12),
        encounterId: 0,
      };
      result.encounterId = await this.insertEncounter(tx, request, fin, result, admissionClass);
      return result;
    });
    for (const finger of probe) this.travellers.add(result.fin!, finger.position, finger.template);
    return result;
  }

  /** Active wants the prints identify (the watch list the criminal repository keeps current). */
  private async wantedHits(probe: ReturnType<typeof fromFingerPayload>[]): Promise<EnrollmentHit[]> {
    const hits: EnrollmentHit[] = [];
    for (const candidate of await this.watchlist.search(probe, { limit: 3 })) {
      if (matchLevel(candidate) !== 'identified') continue;
      const [record] = await this.db.query<{ wanted_id: string; fbi_number: string; warrant_no: string; entering_ori: string; offense: string; caution: string[] }>(
        `SELECT wanted_id, fbi_number, warrant_no, entering_ori, offense, caution FROM watchlist WHERE wanted_id = $1 AND status = 'active'`,
        [candidate.subjectId],
      );
      if (record) {
        hits.push({
          kind: 'wanted',
          detail: { wantedId: record.wanted_id, fbiNumber: record.fbi_number, warrantNo: record.warrant_no, ori: record.entering_ori, offense: record.offense, caution: record.caution },
        });
      }
    }
    return hits;
  }

  /**
   * A travel document already bound to another person's prints is an identity-fraud hit: one per
   * earlier holder (a FIN other than the one these prints identify), naming that holder's FIN.
   */
  private async documentReuse(document: EnrollmentRequest['traveller']['document'], fin: string | undefined): Promise<EnrollmentHit[]> {
    const holders = await this.db.query<{ fin: string }>(
      `SELECT DISTINCT fin FROM identities WHERE upper(trim(issuing_country)) = upper(trim($2)) AND upper(trim(document_number)) = upper(trim($1)) AND fin IS DISTINCT FROM $3 ORDER BY fin`,
      [document.number, document.issuingCountry, fin ?? null],
    );
    return holders.map((holder) => ({ kind: 'document_reuse', detail: { priorFin: holder.fin, document: `${document.type} ${document.issuingCountry} ${document.number}` } }));
  }

  private async insertEncounter(tx: Sql, request: EnrollmentRequest, fin: string | undefined, result: EnrollmentResult, admissionClass: string): Promise<number> {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO encounters (tcn, fin, type, place, inspection_date, officer, ori, admission_class, decision, exemption, admitted_until, response)
       VALUES ($1, $2, 'entry', $3, $4, $5, $6, $7, $8, $9, $10, '{}') RETURNING id`,
      [request.tcn, fin ?? null, request.port, request.inspectionDate, request.officer, request.ori, admissionClass, result.decision, result.exemption ?? null, result.admittedUntil ?? null],
    );
    result.encounterId = Number(row.id);
    await tx.query('UPDATE encounters SET response = $1 WHERE id = $2', [JSON.stringify(result), row.id]);
    return result.encounterId;
  }

  /** The booking-time check (an IDR): is this person known to DHS, and a summary if so. */
  async search(fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
    const [best] = await this.travellers.search(fingers.map(fromFingerPayload), { limit: 1 });
    const level = matchLevel(best);
    if (level !== 'identified') return { match: false, level };
    return { match: true, level, fin: best.subjectId, summary: await this.summary(best.subjectId) };
  }

  /**
   * Rapid identification's search (domain brief 5.5): only immigration violators are in its
   * gallery — a traveller with a violator flag, or whose last admission ran out with no exit
   * recorded since (an overstay the arrival-departure matcher has not flagged yet). A lawful
   * traveller's prints answer "no match" here, as if he were not enrolled.
   */
  async screen(fingers: FingerPayload[]): Promise<ImmigrationSearchResult> {
    const candidates = await this.travellers.search(fingers.map(fromFingerPayload), { limit: SCREEN_CANDIDATES });
    for (const candidate of candidates) {
      const level = matchLevel(candidate);
      if (level === 'none') break;
      const violations = await this.violations(candidate.subjectId);
      if (violations.length === 0) continue;
      if (level !== 'identified') return { match: false, level };
      return { match: true, level, fin: candidate.subjectId, summary: { ...(await this.summary(candidate.subjectId)), flags: violations } };
    }
    return { match: false, level: 'none' };
  }

  /**
   * 1:N face search, among immigration violators only, as rapid identification's print search: a
   * lawful traveller's photo is never searched. Candidates are FINs and distances, leads for an
   * examiner; nothing else of the record travels with them.
   */
  async faceSearch(template: string): Promise<{ candidates: FaceCandidate[]; searched: number }> {
    const candidates = await this.faces.search(decodeFaceTemplate(Buffer.from(template, 'base64')), FACE_SEARCH_CANDIDATES * 4);
    const violators: FaceCandidate[] = [];
    for (const candidate of candidates) {
      if ((await this.violations(candidate.subject)).length > 0) violators.push(candidate);
      if (violators.length === FACE_SEARCH_CANDIDATES) break;
    }
    return { candidates: violators, searched: candidates.length };
  }

  /** What makes a traveller a violator: his violator flags, and an overstay not yet flagged. */
  private async violations(fin: string): Promise<string[]> {
    const flags = await this.db.query<{ kind: string }>('SELECT DISTINCT kind FROM flags WHERE fin = $1 AND kind = ANY($2) ORDER BY kind', [fin, VIOLATOR_FLAGS]);
    const kinds = flags.map((f) => f.kind);
    const today = new Date().toISOString().slice(0, 10);
    const [lapsed] = await this.db.query(
      `SELECT 1 FROM encounters e WHERE e.fin = $1 AND e.type = 'entry' AND e.admitted_until < $2
          AND e.id = (SELECT max(id) FROM encounters WHERE fin = $1 AND type = 'entry')
          AND NOT EXISTS (SELECT 1 FROM encounters x WHERE x.fin = $1 AND x.type = 'exit' AND x.id > e.id)`,
      [fin, today],
    );
    if (lapsed && !kinds.includes('overstay')) kinds.push('overstay');
    return kinds;
  }

  private async summary(fin: string): Promise<ImmigrationSummary> {
    const identities = await this.db.query<{ family: string; given: string; nationality: string }>('SELECT family, given, nationality FROM identities WHERE fin = $1 ORDER BY id', [fin]);
    const encounters = await this.db.query<{ inspection_date: string; place: string; admission_class: string; admitted_until: string | null }>(
      `SELECT inspection_date, place, admission_class, admitted_until FROM encounters WHERE fin = $1 AND type = 'entry' ORDER BY id DESC`,
      [fin],
    );
    const flags = await this.db.query<{ kind: string }>('SELECT DISTINCT kind FROM flags WHERE fin = $1', [fin]);
    const last = encounters[0];
    return {
      fin,
      names: [...new Set(identities.map((i) => `${i.family}, ${i.given}`))],
      nationality: identities[0]?.nationality,
      statusClass: last ? `nonimmigrant ${last.admission_class}` : 'unknown',
      lastEntry: last ? { date: last.inspection_date, place: last.place, admissionClass: last.admission_class, admittedUntil: last.admitted_until ?? undefined } : undefined,
      encounters: encounters.length,
      flags: flags.map((f) => f.kind),
    };
  }

  async history(fin: string): Promise<ImmigrationHistory> {
    const identities = await this.db.query<{ family: string; given: string; dob: string; nationality: string; document_type: string; document_number: string; issuing_country: string }>(
      'SELECT family, given, dob, nationality, document_type, document_number, issuing_country FROM identities WHERE fin = $1 ORDER BY id',
      [fin],
    );
    if (identities.length === 0) throw new ConcordError('SUBJECT_NOT_FOUND', `no immigration record with FIN ${fin}`, { fin });
    const encounters = await this.db.query<{ at: Date; type: string; place: string; admission_class: string; decision: string; admitted_until: string | null; exemption: string | null; inspection_date: string }>(
      'SELECT at, type, place, admission_class, decision, admitted_until, exemption, inspection_date FROM encounters WHERE fin = $1 ORDER BY id',
      [fin],
    );
    const flags = await this.db.query<{ kind: string; since: string }>('SELECT kind, since FROM flags WHERE fin = $1 ORDER BY id', [fin]);
    const protectedRows = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM protected_records WHERE fin = $1', [fin]);
    const [photos] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM photos WHERE fin = $1', [fin]);
    return {
      fin,
      photos: Number(photos.n),
      identities: identities.map((i) => ({ family: i.family, given: i.given, dob: i.dob, nationality: i.nationality, document: `${i.document_type} ${i.issuing_country} ${i.document_number}` })),
      encounters: encounters.map((e) => ({
        at: e.inspection_date,
        type: e.type,
        place: e.place,
        admissionClass: e.admission_class,
        decision: e.decision,
        admittedUntil: e.admitted_until ?? undefined,
        exemption: e.exemption ?? undefined,
      })),
      flags,
      protectedContentExists: Number(protectedRows[0].n) > 0,
    };
  }

  /** Wanted persons from the criminal repository, kept as the watch list ports search (iDSM). */
  /** One wanted person's templates in the watch list anew, as stored (another replica changed them). */
  private async reloadWatchlistEntry(wantedId: string): Promise<void> {
    const rows = await this.db.query<{ subject: string; position: number; template: Uint8Array }>(
      `SELECT s.wanted_id AS subject, s.position, s.template FROM watchlist_samples s JOIN watchlist w USING (wanted_id) WHERE w.status = 'active' AND s.wanted_id = $1`,
      [wantedId],
    );
    this.watchlist.remove(wantedId);
    for (const binding of addSealedTemplates(this.watchlist, 'watchlist_samples.template', rows, this.sealer)) if (!this.refusedTemplates.includes(binding)) this.refusedTemplates.push(binding);
  }

  async updateWatchlist(event: WantedChanged): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO watchlist (wanted_id, fbi_number, warrant_no, entering_ori, offense, caution, status, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, now())
         ON CONFLICT (wanted_id) DO UPDATE SET status = EXCLUDED.status, offense = EXCLUDED.offense, caution = EXCLUDED.caution, updated_at = now()`,
        [event.wantedId, event.fbiNumber, event.warrantNo, event.enteringOri, event.offense, JSON.stringify(event.caution), event.status],
      );
      await tx.query('DELETE FROM watchlist_samples WHERE wanted_id = $1', [event.wantedId]);
      if (event.status === 'active') {
        for (const finger of event.fingers) {
          await tx.query('INSERT INTO watchlist_samples (wanted_id, position, template) VALUES ($1, $2, $3)', [event.wantedId, finger.position, this.sealer.seal(Buffer.from(finger.template, 'base64'), sealedFor('watchlist_samples.template', event.wantedId, finger.position))]);
        }
      }
    });
    this.watchlist.remove(event.wantedId);
    if (event.status === 'active') for (const finger of event.fingers.map(fromFingerPayload)) this.watchlist.add(event.wantedId, finger.position, finger.template);
  }
}

export interface WantedChanged {
  wantedId: string;
  fbiNumber: string;
  warrantNo: string;
  enteringOri: string;
  offense: string;
  caution: string[];
  status: 'active' | 'cleared' | 'cancelled';
  fingers: FingerPayload[];
}

function sameIdentity(known: { family: string; given: string; dob: string }, traveller: EnrollmentRequest['traveller']): boolean {
  const norm = (s: string) => s.trim().toUpperCase();
  return norm(known.family) === norm(traveller.name.family) && norm(known.given) === norm(traveller.name.given) && known.dob === traveller.dob;
}

function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const result = new Date(Date.UTC(y, m - 1 + months, d));
  return result.toISOString().slice(0, 10);
}
