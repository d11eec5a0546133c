import { ConcordError, isConcordError } from '../../shared/errors.ts';
import type { Database } from '../../infra/db/database.ts';
import { migrate } from '../../infra/db/migrate.ts';
import type { MessageBus, Unsubscribe } from '../../infra/bus/message-bus.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { combineReports, resealColumn, sealedFor, type ResealReport, type TemplateSealer } from '../shared/template-sealer.ts';
import { storedSample, type StoredSample } from '../shared/stored-sample.ts';
import { fromFingerPayload, imageBytes, type FingerPayload } from '../shared/fingerprint-payload.ts';
import { loadGallery, matchLevel, matchSubject, reloadSubject, type MatchLevel } from '../shared/identification.ts';
import { GallerySync } from '../shared/gallery-sync.ts';
import { incompleteSearch, inProcessGallery, SEARCH_RETRY_AFTER_SECONDS, type NodeGallery, type ShardCount } from '../shared/node-gallery.ts';
import { ShardedGallery } from '../shared/sharded-gallery.ts';
import { combineReextractions, reextractTemplates, type ReextractionReport } from '../shared/reextract-templates.ts';
import { insertPhoto, reextractFaceTemplates } from '../shared/face-photos.ts';
import { HAS_BOOKING_PHOTO, latestBookingPhoto, SHOWN_ARREST } from './booking-photos.ts';
import type { FaceCapture } from '../shared/face-payload.ts';
import type { WantedChanged } from '../immigration/immigration-node.ts';
import { criminalMigrations } from './migrations.ts';
import { checkArrest, checkCharge, checkDisposition, checkReportedDisposition, type Charge, type Disposition } from './arrest-rules.ts';
import { EARLIEST_DATE, latestDate } from '../../shared/calendar-date.ts';

export type { Charge, Disposition } from './arrest-rules.ts';

/**
 * The criminal repository (IAFIS/NGI-like) as a node: ten-print arrest cycles, identities by
 * FBI number, and wanted persons, whose changes it announces on the bus at once.
 */
export interface BookingRequest {
  tcn: string;
  ori: string;
  /** The submitter may report court dispositions; otherwise an arrest carries at most "pending" ones. */
  reportsDispositions?: boolean;
  arrest: {
    name: { family: string; given: string };
    dob: string;
    sex?: string;
    dateOfArrest: string;
    charges: Charge[];
    dispositions?: Disposition[];
    juvenile?: boolean;
    treatAsAdult?: boolean;
  };
  fingers: FingerPayload[];
  /** The booking photo (a normalised JPEG in base64) and its checks and face template. */
  photo?: string;
  face?: FaceCapture;
}

export interface WantedSummary {
  id: string;
  warrantNo: string;
  enteringOri: string;
  offense: string;
  dateOfWarrant: string;
  extradition: string;
  caution: string[];
  status: string;
}

export interface BookingResult {
  tcn: string;
  /** EBTS 2.059: I identified (known before), N not identified (new record created). */
  srf: 'I' | 'N';
  fbiNumber: string;
  wanted: WantedSummary[];
}

export interface CriminalHistory {
  fbiNumber: string;
  identities: { family: string; given: string; dob: string; sex?: string }[];
  arrests: { tcn: string; dateOfArrest: string; arrestingOri: string; charges: Charge[]; dispositions: Disposition[] }[];
  wanted: WantedSummary[];
  /** Arrests shown that have a booking photo (released on its own route, where the grant allows). */
  photos: number;
}

export interface CriminalIdentification {
  level: MatchLevel;
  fbiNumber?: string;
  name?: string;
  fmr?: number;
  wanted: WantedSummary[];
  arrests: number;
  /** Set when shards of the gallery did not answer: "none" then means none in the part searched. */
  incomplete?: ShardCount;
}

export class CriminalNode {
  private readonly subscriptions: Unsubscribe[] = [];
  private sync?: GallerySync;
  /** Bookings running in this process, by ORI and TCN. */
  private readonly bookings = new Map<string, Promise<BookingResult>>();

  private constructor(
    private readonly db: Database,
    private readonly bus: MessageBus,
    private readonly gallery: NodeGallery,
    private readonly sealer: TemplateSealer,
    /** Stored templates refused when the gallery was loaded (their bindings): out of every search. */
    readonly refusedTemplates: string[],
  ) {}

  /** Templates in the gallery this node searches, for metrics. */
  get galleryTemplates(): Record<string, number> {
    return { subjects: this.gallery.size };
  }

  /**
   * With `shards`, the gallery is searched in matcher processes (`concord matcher --repository
   * criminal --shard k/N`), which load and check the templates themselves; otherwise here.
   */
  static async start(db: Database, bus: MessageBus, options: { galleryWorkers: number; sealer: TemplateSealer; shards?: { count: number; deadlineMs: number } }): Promise<CriminalNode> {
    await migrate(db, criminalMigrations);
    // Replicas on PostgreSQL follow each other's changes from here on (the embedded database has one process).
    const follow = db.kind === 'postgres' && !options.shards;
    await GallerySync.prune(db);
    const since = follow ? await GallerySync.logEnd(db) : 0;
    let gallery: NodeGallery;
    let refused: string[] = [];
    if (options.shards) {
      gallery = new ShardedGallery(bus, 'criminal', options.shards.count, options.shards.deadlineMs);
    } else {
      const loaded = await loadGallery(db, 'samples.template', 'SELECT id, fbi_number AS subject, position, template FROM samples', options.sealer, { workers: options.galleryWorkers });
      gallery = inProcessGallery(loaded.gallery);
      refused = loaded.refused;
    }
    const node = new CriminalNode(db, bus, gallery, options.sealer, refused);
    if (follow) node.sync = await GallerySync.start(db, since, { samples: (fbiNumber) => reloadSubject(db, gallery, options.sealer, 'fbi_number', fbiNumber, node.refusedTemplates) });
    node.subscriptions.push(await bus.respond('criminal.book', (request: BookingRequest) => node.book(request)));
    node.subscriptions.push(await bus.respond('criminal.disposition', (request: DispositionReport) => node.recordDisposition(request)));
    node.subscriptions.push(await bus.respond('criminal.identify', (request: { fingers: FingerPayload[] }) => node.identify(request.fingers)));
    node.subscriptions.push(await bus.respond('criminal.match', (request: { fingers: FingerPayload[] }) => matchSubject(gallery, request.fingers)));
    node.subscriptions.push(await bus.respond('criminal.history', (request: { fbiNumber: string }) => node.history(request.fbiNumber)));
    node.subscriptions.push(await bus.respond('criminal.wanted.enter', (request: WantedEntry) => node.enterWanted(request)));
    node.subscriptions.push(await bus.respond('criminal.wanted.clear', (request: { id: string; ori: string }) => node.clearWanted(request.id, request.ori)));
    node.subscriptions.push(await bus.respond('criminal.purge', (request: { bornBefore: string }) => node.purgeBornBefore(request.bornBefore)));
    node.subscriptions.push(await bus.respond('criminal.photo', (request: { fbiNumber: string }) => latestBookingPhoto(db, options.sealer, request.fbiNumber)));
    node.subscriptions.push(await bus.respond('criminal.sample', (request: { id: string; position: number }) => node.sample(request.id, request.position)));
    node.subscriptions.push(await bus.respond('criminal.correct', (request: { fbiNumber: string; arrestTcn: string }) => node.sealArrest(request.fbiNumber, request.arrestTcn)));
    node.subscriptions.push(await bus.respond('criminal.health', async () => ({ ok: true, fingers: gallery.size })));
    return node;
  }

  /** Stops answering (the node goes down); its database stays with its owner. */
  async close(): Promise<void> {
    for (const unsubscribe of this.subscriptions) unsubscribe();
    await this.sync?.close();
    await this.gallery.close();
  }

  /**
   * Identify by ten prints: the existing record, or a new one; then record the arrest cycle, once
   * per ORI and TCN. A resubmission (its gateway gave up waiting, or died) gets the first booking's
   * answer: from this process's booking still running, from the stored arrest, or, when another
   * replica stored it while this one searched, by rolling this one back.
   */
  async book(request: BookingRequest): Promise<BookingResult> {
    const key = JSON.stringify([request.ori, request.tcn]);
    const running = this.bookings.get(key);
    if (running) return running;
    const booking = this.bookOnce(request)
      .catch(async (error: unknown) => {
        const stored = isConcordError(error, 'ALREADY_BOOKED') ? await this.previousBooking(request) : undefined;
        if (!stored) throw error;
        return stored;
      })
      .finally(() => this.bookings.delete(key));
    this.bookings.set(key, booking);
    return booking;
  }

  private async previousBooking(request: BookingRequest): Promise<BookingResult | undefined> {
    const [previous] = await this.db.query<{ response: BookingResult }>('SELECT response FROM arrests WHERE tcn = $1 AND arresting_ori = $2', [request.tcn, request.ori]);
    return previous?.response;
  }

  private async bookOnce(request: BookingRequest): Promise<BookingResult> {
    const previous = await this.previousBooking(request);
    if (previous) return previous;
    if (request.fingers.length < 1) throw new ConcordError('FINGER_COUNT', 'a booking needs fingerprints', { fingers: 0 });
    // Checked here too, whatever the API checked: what is stored is what every history read trusts.
    const { charges, dispositions } = checkArrest(request.arrest, { latest: latestDate(new Date()), reportsDispositions: request.reportsDispositions === true });
    const probe = request.fingers.map(fromFingerPayload);
    const { candidates, incomplete } = await this.gallery.search(probe, { limit: 1 });
    const known = matchLevel(candidates[0]) === 'identified' ? candidates[0].subjectId : undefined;
    // No record found in part of the gallery is no proof of none: a new record could duplicate one in a shard not searched.
    if (!known && incomplete) {
      const { message, marker } = incompleteSearch(incomplete);
      throw new ConcordError('SEARCH_INCOMPLETE', `${message}: the booking is not recorded; submit it again shortly`, { tcn: request.tcn, search: marker, retryAfter: SEARCH_RETRY_AFTER_SECONDS });
    }

    const result = await this.db.transaction(async (tx) => {
      const fbiNumber = known ?? `${(await tx.query<{ n: number }>(`SELECT nextval('fbi_sequence') AS n`))[0].n}AB`;
      const a = request.arrest;
      if (!known) {
        await tx.query('INSERT INTO subjects (fbi_number) VALUES ($1)', [fbiNumber]);
        for (const [k, finger] of probe.entries()) {
          const image = imageBytes(request.fingers[k]);
          await tx.query('INSERT INTO samples (fbi_number, position, template, quality, tcn, image, extractor) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
            fbiNumber,
            finger.position,
            this.sealer.seal(encodeTemplate(finger.template), sealedFor('samples.template', fbiNumber, finger.position)),
            finger.template.quality,
            request.tcn,
            image && this.sealer.seal(image, sealedFor('samples.image', fbiNumber, finger.position)),
            request.fingers[k].extractor ?? null,
          ]);
        }
      }
      const names = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM identities WHERE fbi_number = $1 AND upper(family) = upper($2) AND upper(given) = upper($3) AND dob = $4', [
        fbiNumber,
        a.name.family,
        a.name.given,
        a.dob,
      ]);
      if (Number(names[0].n) === 0) {
        await tx.query('INSERT INTO identities (fbi_number, family, given, dob, sex) VALUES ($1, $2, $3, $4, $5)', [fbiNumber, a.name.family, a.name.given, a.dob, a.sex ?? null]);
      }
      const result: BookingResult = { tcn: request.tcn, srf: known ? 'I' : 'N', fbiNumber, wanted: await this.activeWanted(tx, fbiNumber) };
      // Waits for a booking of the same TCN in flight elsewhere; if that one commits, this one (a new record too) is undone.
      const booked = await tx.query(
        `INSERT INTO arrests (tcn, fbi_number, date_of_arrest, arresting_ori, charges, dispositions, juvenile, treat_as_adult, response)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (arresting_ori, tcn) DO NOTHING RETURNING id`,
        [request.tcn, fbiNumber, a.dateOfArrest, request.ori, JSON.stringify(charges), JSON.stringify(dispositions), a.juvenile ?? false, a.treatAsAdult ?? false, JSON.stringify(result)],
      );
      if (booked.length === 0) throw new ConcordError('ALREADY_BOOKED', `TCN ${request.tcn} of ${request.ori} was booked by another replica meanwhile`, { tcn: request.tcn });
      if (request.photo) await insertPhoto(tx, this.sealer, fbiNumber, request.tcn, request.photo, request.face, 'fbi_number');
      return result;
    });
    if (!known) for (const finger of probe) this.gallery.add(result.fbiNumber, finger.position, finger.template);
    return result;
  }

  /** Search only, nothing retained (rapid identification, port checks). */
  async identify(fingers: FingerPayload[]): Promise<CriminalIdentification> {
    const { candidates, incomplete } = await this.gallery.search(fingers.map(fromFingerPayload), { limit: 1 });
    const [best] = candidates;
    const level = matchLevel(best);
    if (level === 'none') return { level, wanted: [], arrests: 0, ...(incomplete && { incomplete }) };
    const fbiNumber = best.subjectId;
    const [identity] = await this.db.query<{ family: string; given: string }>('SELECT family, given FROM identities WHERE fbi_number = $1 ORDER BY id LIMIT 1', [fbiNumber]);
    const arrests = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM arrests WHERE fbi_number = $1 AND ${SHOWN_ARREST}`, [fbiNumber]);
    return {
      level,
      fbiNumber,
      name: identity ? `${identity.family}, ${identity.given}` : undefined,
      fmr: best.fmr,
      wanted: level === 'identified' ? await this.activeWanted(this.db, fbiNumber) : [],
      arrests: Number(arrests[0].n),
      ...(incomplete && { incomplete }),
    };
  }

  /** The rap sheet, without sealed records or juvenile ones not treated as adult (they stay here). */
  async history(fbiNumber: string): Promise<CriminalHistory> {
    const identities = await this.db.query<{ family: string; given: string; dob: string; sex: string | null }>('SELECT family, given, dob, sex FROM identities WHERE fbi_number = $1 ORDER BY id', [fbiNumber]);
    if (identities.length === 0) throw new ConcordError('SUBJECT_NOT_FOUND', `no criminal record with FBI number ${fbiNumber}`, { fbiNumber });
    const arrests = await this.db.query<ArrestRow>(
      `SELECT tcn, date_of_arrest, arresting_ori, charges, dispositions, ${HAS_BOOKING_PHOTO} AS has_photo FROM arrests
       WHERE fbi_number = $1 AND ${SHOWN_ARREST} ORDER BY date_of_arrest`,
      [fbiNumber],
    );
    return {
      fbiNumber,
      identities: identities.map((i) => ({ family: i.family, given: i.given, dob: i.dob, sex: i.sex ?? undefined })),
      arrests: arrests.map((a) => readArrest(fbiNumber, a)),
      wanted: await this.activeWanted(this.db, fbiNumber),
      photos: arrests.filter((a) => a.has_photo).length,
    };
  }

  /** A court's disposition of an arrest, recorded on the rap sheet (by a submitter who may report it). */
  async recordDisposition(report: DispositionReport): Promise<{ fbiNumber: string; arrestTcn: string; dispositions: number }> {
    const [arrest] = await this.db.query<{ date_of_arrest: string }>('SELECT date_of_arrest FROM arrests WHERE fbi_number = $1 AND tcn = $2', [report.fbiNumber, report.arrestTcn]);
    if (!arrest) throw new ConcordError('NOT_FOUND', `${report.fbiNumber} has no arrest ${report.arrestTcn}`, { fbiNumber: report.fbiNumber, arrestTcn: report.arrestTcn });
    const disposition = checkReportedDisposition(report.disposition, 'disposition', { dateOfArrest: arrest.date_of_arrest, latest: latestDate(new Date()), reportsDispositions: report.reportsDispositions === true });
    const [row] = await this.db.query<{ n: number }>(
      'UPDATE arrests SET dispositions = dispositions || $3::jsonb WHERE fbi_number = $1 AND tcn = $2 RETURNING jsonb_array_length(dispositions) AS n',
      [report.fbiNumber, report.arrestTcn, JSON.stringify([disposition])],
    );
    return { fbiNumber: report.fbiNumber, arrestTcn: report.arrestTcn, dispositions: Number(row.n) };
  }

  async enterWanted(entry: WantedEntry): Promise<WantedSummary> {
    const subject = await this.db.query('SELECT 1 FROM subjects WHERE fbi_number = $1', [entry.fbiNumber]);
    if (subject.length === 0) throw new ConcordError('SUBJECT_NOT_FOUND', `no criminal record with FBI number ${entry.fbiNumber}`, { fbiNumber: entry.fbiNumber });
    const [row] = await this.db.query<{ n: number }>(`SELECT nextval('wanted_sequence') AS n`);
    const id = `W${row.n}`;
    await this.db.query(
      `INSERT INTO wanted (id, fbi_number, warrant_no, entering_ori, offense, date_of_warrant, extradition, caution, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active')`,
      [id, entry.fbiNumber, entry.warrantNo, entry.enteringOri, entry.offense, entry.dateOfWarrant, entry.extradition, JSON.stringify(entry.caution ?? [])],
    );
    await this.announce(id);
    return (await this.wantedById(id))!;
  }

  async clearWanted(id: string, ori: string): Promise<WantedSummary> {
    const record = await this.wantedById(id);
    if (!record) throw new ConcordError('WANTED_NOT_FOUND', `no wanted record ${id}`, { id });
    if (record.enteringOri !== ori) {
      throw new ConcordError('FORBIDDEN', `only the entering agency ${record.enteringOri} may clear wanted record ${id}`, { id });
    }
    await this.db.query(`UPDATE wanted SET status = 'cleared', updated_at = now() WHERE id = $1`, [id]);
    await this.announce(id);
    return (await this.wantedById(id))!;
  }

  /**
   * Retention: subjects born before `bornBefore` (past the retention age) are deleted entirely.
   * Returns their FBI numbers, so that the logs about them can go too.
   */
  async purgeBornBefore(bornBefore: string): Promise<{ purged: string[] }> {
    const numbers = await this.db.transaction(async (tx) => {
      const rows = await tx.query<{ fbi_number: string }>('SELECT fbi_number FROM identities GROUP BY fbi_number HAVING max(dob) < $1', [bornBefore]);
      const ids = rows.map((r) => r.fbi_number);
      for (const table of ['samples', 'photos', 'arrests', 'wanted', 'identities', 'subjects']) await tx.query(`DELETE FROM ${table} WHERE fbi_number = ANY($1)`, [ids]);
      return ids;
    });
    for (const fbiNumber of numbers) this.gallery.remove(fbiNumber);
    return { purged: numbers };
  }

  /** A redress correction: a successfully challenged arrest is sealed (kept here, never disseminated). */
  async sealArrest(fbiNumber: string, arrestTcn: string): Promise<{ applied: number }> {
    // Sealing an arrest already sealed is no error: a retried decision must be able to finish.
    const sealed = await this.db.query('UPDATE arrests SET sealed = true WHERE fbi_number = $1 AND tcn = $2 RETURNING id', [fbiNumber, arrestTcn]);
    if (sealed.length === 0) throw new ConcordError('NOTHING_TO_CORRECT', `${fbiNumber} has no arrest ${arrestTcn}`, { fbiNumber, arrestTcn });
    return { applied: sealed.length };
  }

  /** One stored finger of a subject, for an examiner's side-by-side comparison. */
  async sample(fbiNumber: string, position: number): Promise<StoredSample> {
    return storedSample(this.db, this.sealer, 'SELECT template, image FROM samples WHERE fbi_number = $1 AND position = $2 ORDER BY id DESC LIMIT 1', fbiNumber, position);
  }

  /** Seals every stored template again under the active key (after a key rotation). */
  async resealTemplates(): Promise<ResealReport> {
    return combineReports([
      await resealColumn(this.db, this.sealer, 'samples.template', 'fbi_number', 'position'),
      await resealColumn(this.db, this.sealer, 'samples.image', 'fbi_number', 'position'),
      await resealColumn(this.db, this.sealer, 'photos.image', 'fbi_number'),
      await resealColumn(this.db, this.sealer, 'photos.face_template', 'fbi_number'),
    ]);
  }

  /**
   * Templates an older extractor made, made again from their stored images (see
   * reextractTemplates); the ports' watch list gets the new templates of wanted subjects.
   */
  async reextractTemplates(): Promise<ReextractionReport> {
    const prints = await reextractTemplates(this.db, this.sealer, 'fbi_number', this.gallery, this.refusedTemplates, async (subjects) => {
      for (const fbiNumber of subjects) for (const wanted of await this.activeWanted(this.db, fbiNumber)) await this.announce(wanted.id);
    });
    return combineReextractions([prints, await reextractFaceTemplates(this.db, this.sealer, 'fbi_number')]);
  }

  /** Every change reaches the ports' watch list at once, as a durable event. */
  private async announce(id: string): Promise<void> {
    const [row] = await this.db.query<{ fbi_number: string; warrant_no: string; entering_ori: string; offense: string; caution: string[]; status: WantedChanged['status'] }>(
      'SELECT fbi_number, warrant_no, entering_ori, offense, caution, status FROM wanted WHERE id = $1',
      [id],
    );
    const samples = await this.db.query<{ position: number; template: Uint8Array; quality: number }>('SELECT position, template, quality FROM samples WHERE fbi_number = $1', [row.fbi_number]);
    const event: WantedChanged = {
      wantedId: id,
      fbiNumber: row.fbi_number,
      warrantNo: row.warrant_no,
      enteringOri: row.entering_ori,
      offense: row.offense,
      caution: row.caution,
      status: row.status,
      fingers: samples.map((s) => ({ position: Number(s.position), template: Buffer.from(this.sealer.open(new Uint8Array(s.template), sealedFor('samples.template', row.fbi_number, Number(s.position)))).toString('base64'), quality: Number(s.quality) })),
    };
    await this.bus.publish('wanted.changed', event);
  }

  private async wantedById(id: string): Promise<WantedSummary | undefined> {
    const rows = await this.db.query<WantedRow>('SELECT * FROM wanted WHERE id = $1', [id]);
    return rows.map(toWantedSummary)[0];
  }

  private async activeWanted(db: { query: Database['query'] }, fbiNumber: string): Promise<WantedSummary[]> {
    const rows = await db.query<WantedRow>(`SELECT * FROM wanted WHERE fbi_number = $1 AND status = 'active' ORDER BY id`, [fbiNumber]);
    return rows.map(toWantedSummary);
  }
}

export interface DispositionReport {
  fbiNumber: string;
  arrestTcn: string;
  disposition: Disposition;
  reportsDispositions?: boolean;
}

interface ArrestRow {
  tcn: string;
  date_of_arrest: string;
  arresting_ori: string;
  charges: unknown;
  dispositions: unknown;
  has_photo: boolean;
}

/**
 * A stored arrest, checked as it is read: a malformed one (stored before these rules, or written
 * around them) is a typed error naming the record, never a crash further down the history.
 */
function readArrest(fbiNumber: string, row: ArrestRow): CriminalHistory['arrests'][number] {
  try {
    const charges = (Array.isArray(row.charges) ? row.charges : [row.charges]).map((charge, k) => checkCharge(charge, `charges.${k}`));
    const dispositions = (Array.isArray(row.dispositions) ? row.dispositions : [row.dispositions]).map((d, k) => checkDisposition(d, `dispositions.${k}`, { earliest: EARLIEST_DATE, latest: '9999-12-31' }));
    return { tcn: row.tcn, dateOfArrest: row.date_of_arrest, arrestingOri: row.arresting_ori, charges, dispositions };
  } catch (error) {
    const field = error instanceof ConcordError ? String(error.where.field) : 'arrest';
    throw new ConcordError('RECORD_MALFORMED', `arrest ${row.tcn} of ${fbiNumber} is stored malformed (${field}); it must be corrected before this history can be read`, { fbiNumber, tcn: row.tcn, field });
  }
}

export interface WantedEntry {
  fbiNumber: string;
  warrantNo: string;
  enteringOri: string;
  offense: string;
  dateOfWarrant: string;
  extradition: 'full' | 'limited' | 'none';
  caution?: string[];
}

interface WantedRow {
  id: string;
  warrant_no: string;
  entering_ori: string;
  offense: string;
  date_of_warrant: string;
  extradition: string;
  caution: string[];
  status: string;
}

function toWantedSummary(row: WantedRow): WantedSummary {
  return {
    id: row.id,
    warrantNo: row.warrant_no,
    enteringOri: row.entering_ori,
    offense: row.offense,
    dateOfWarrant: row.date_of_warrant,
    extradition: row.extradition,
    caution: row.caution,
    status: row.status,
  };
}
