import { ConcordError } from '../../shared/errors.ts';
import type { Sql } from '../../infra/db/database.ts';
import { encodeTemplate } from '../../biometrics/template-codec.ts';
import { decodeFaceTemplate } from '../../biometrics/face/face-template.ts';
import { latestDate } from '../../shared/calendar-date.ts';
import { sealedFor } from '../shared/template-sealer.ts';
import { fromFingerPayload, imageBytes } from '../shared/fingerprint-payload.ts';
import { matchLevel } from '../shared/identification.ts';
import { checkEnrollment, enrollmentEligibility } from './enrollment-rules.ts';
import { faceTemplatesOnRecord, insertPhoto, verifyFace, type FaceVerification } from './face-records.ts';
import type { ImmigrationStore } from './immigration-store.ts';
import type { EnrollmentHit, EnrollmentRequest, EnrollmentResult } from './immigration-types.ts';

// A traveller's inspection at the port: exemptions, the search of travellers and wants, the hits
// that refer to secondary (identity conflict, removal, document reuse, face mismatch, wanted), and
// the encounter and prints stored in one transaction.

const STAY_MONTHS: Record<string, number> = { B1: 6, B2: 6, B1B2: 6 };

/** Inspects and enrolls a traveller; the same TCN from the same agency gets the same answer, nothing stored twice. */
export async function enroll(store: ImmigrationStore, request: EnrollmentRequest): Promise<EnrollmentResult> {
  const previous = await store.db.query<{ response: EnrollmentResult }>('SELECT response FROM encounters WHERE tcn = $1 AND ori = $2', [request.tcn, request.ori]);
  if (previous.length > 0) return previous[0].response; // same TCN: same answer, nothing new stored

  // Eligibility is decided from dates that exist and a class that does: an impossible date of
  // birth must not make a wanted traveller age-exempt.
  const admissionClass = checkEnrollment(request.traveller, request.inspectionDate, latestDate(new Date()));
  const eligibility = enrollmentEligibility(request.traveller, request.inspectionDate);
  if (!eligibility.required) {
    // Prints captured and sent are searched against wants before the exemption discards them.
    if (request.fingers.length > 10) throw new ConcordError('FINGER_COUNT', `at most 10 fingers, got ${request.fingers.length}`, { fingers: request.fingers.length });
    const hits = request.fingers.length > 0 ? await wantedHits(store, request.fingers.map(fromFingerPayload)) : [];
    return store.db.transaction(async (tx) => {
      const result: EnrollmentResult = {
        tcn: request.tcn,
        decision: hits.length > 0 ? 'refer_secondary' : 'admit',
        exemption: eligibility.reason,
        ...(request.fingers.length > 0 ? { exemptPrints: 'checked_against_wanted_not_kept' as const } : {}),
        returningTraveller: false,
        hits,
        encounterId: 0,
      };
      result.encounterId = await insertEncounter(tx, request, undefined, result, admissionClass);
      return result;
    });
  }
  if (request.fingers.length !== 2 && request.fingers.length !== 10) {
    throw new ConcordError('FINGER_COUNT', `port enrollment takes 2 index fingers or 10 fingers, got ${request.fingers.length}`, { fingers: request.fingers.length });
  }
  const probe = request.fingers.map(fromFingerPayload);
  const [candidates, wanted] = await Promise.all([store.travellers.search(probe, { limit: 3 }), wantedHits(store, probe)]);
  const hits: EnrollmentHit[] = [];

  const prior = matchLevel(candidates[0]) === 'identified' ? candidates[0].subjectId : undefined;
  let faceVerification: FaceVerification | undefined;
  if (prior) {
    const identities = await store.db.query<{ family: string; given: string; dob: string; document_number: string; issuing_country: string }>(
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
    const removed = await store.db.query<{ since: string }>(`SELECT since FROM flags WHERE fin = $1 AND kind IN ('removed', 'expedited_removal')`, [prior]);
    if (removed.length > 0) hits.push({ kind: 'removed', detail: { fin: prior, since: removed[0].since } });
    if (request.face?.template) {
      const verification = verifyFace(decodeFaceTemplate(Buffer.from(request.face.template, 'base64')), await faceTemplatesOnRecord(store.db, store.sealer, prior));
      faceVerification = verification;
      if (verification.mismatch) hits.push({ kind: 'face_mismatch', detail: { fin: prior, distance: verification.nearest!.distance, threshold: verification.nearest!.threshold, fmr: verification.nearest!.fmr, photosCompared: verification.compared } });
    }
  }
  hits.push(...(await documentReuse(store, request.traveller.document, prior)));
  hits.push(...wanted);

  const result = await store.db.transaction(async (tx) => {
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
        store.sealer.seal(encodeTemplate(finger.template), sealedFor('samples.template', fin, finger.position)),
        finger.template.quality,
        request.tcn,
        image && store.sealer.seal(image, sealedFor('samples.image', fin, finger.position)),
        request.fingers[k].extractor ?? null,
      ]);
    }
    if (request.photo) await insertPhoto(tx, store.sealer, fin, request.tcn, request.photo, request.face);
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
    result.encounterId = await insertEncounter(tx, request, fin, result, admissionClass);
    return result;
  });
  for (const finger of probe) store.travellers.add(result.fin!, finger.position, finger.template);
  return result;
}

/** Active wants the prints identify (the watch list the criminal repository keeps current). */
async function wantedHits(store: ImmigrationStore, probe: ReturnType<typeof fromFingerPayload>[]): Promise<EnrollmentHit[]> {
  const hits: EnrollmentHit[] = [];
  for (const candidate of await store.watchlist.search(probe, { limit: 3 })) {
    if (matchLevel(candidate) !== 'identified') continue;
    const [record] = await store.db.query<{ wanted_id: string; fbi_number: string; warrant_no: string; entering_ori: string; offense: string; caution: string[] }>(
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
async function documentReuse(store: ImmigrationStore, document: EnrollmentRequest['traveller']['document'], fin: string | undefined): Promise<EnrollmentHit[]> {
  const holders = await store.db.query<{ fin: string }>(
    `SELECT DISTINCT fin FROM identities WHERE upper(trim(issuing_country)) = upper(trim($2)) AND upper(trim(document_number)) = upper(trim($1)) AND fin IS DISTINCT FROM $3 ORDER BY fin`,
    [document.number, document.issuingCountry, fin ?? null],
  );
  return holders.map((holder) => ({ kind: 'document_reuse', detail: { priorFin: holder.fin, document: `${document.type} ${document.issuingCountry} ${document.number}` } }));
}

async function insertEncounter(tx: Sql, request: EnrollmentRequest, fin: string | undefined, result: EnrollmentResult, admissionClass: string): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO encounters (tcn, fin, type, place, inspection_date, officer, ori, admission_class, decision, exemption, admitted_until, response)
     VALUES ($1, $2, 'entry', $3, $4, $5, $6, $7, $8, $9, $10, '{}') RETURNING id`,
    [request.tcn, fin ?? null, request.port, request.inspectionDate, request.officer, request.ori, admissionClass, result.decision, result.exemption ?? null, result.admittedUntil ?? null],
  );
  result.encounterId = Number(row.id);
  await tx.query('UPDATE encounters SET response = $1 WHERE id = $2', [JSON.stringify(result), row.id]);
  return result.encounterId;
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
