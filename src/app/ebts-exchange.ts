import { randomBytes } from 'node:crypto';
import { ConcordError } from '../shared/errors.ts';
import type { Requester } from '../gateway/access.ts';
import type { BookingAnswer, Gateway, IdentifyAnswer } from '../gateway/gateway.ts';
import type { BookingRequest } from '../repositories/criminal/criminal-node.ts';
import { fieldText, type AnsiNistTransaction, type TaggedRecord } from '../formats/ansi-nist/model.ts';
import { readTransaction } from '../formats/ansi-nist/read-transaction.ts';
import { FBI_CJIS_ORI } from '../formats/ebts/build-submission.ts';
import { buildErrt, buildRpisr, buildSre, buildSrt, responseHeaderFor, type ResponseHeader } from '../formats/ebts/responses.ts';
import { readEbtsSubmission, validateEbtsSubmission, type EbtsSubmission } from '../formats/ebts/submission.ts';
import { templatesFromTransaction } from './capture-pool.ts';
import { analyseTransactionFaceOnPool } from './face-pool.ts';
import { bookingPhoto, faceLeadMessages, photoOnRecord, searchFace } from './ebts-faces.ts';
import type { TransactionFingers } from './capture-jobs.ts';

/** The answer to an EBTS submission, itself a transaction file. */
export interface EbtsReply {
  /** SRE (CAR, CNA), SRT (TPIS), RPISR (RPIS) or ERRT. */
  readonly tot: 'SRE' | 'SRT' | 'RPISR' | 'ERRT';
  readonly bytes: Uint8Array;
  /** For an ERRT, the first problem: its code gives the HTTP status. */
  readonly problem?: ConcordError;
}

/**
 * Errors that are not the submission's fault — the server's, or "ask again shortly" — are answered
 * as HTTP errors, not with an ERRT, which a sender takes as a final rejection of its transaction.
 */
const SERVER_ERRORS = new Set(['BUSY', 'NODE_UNAVAILABLE', 'INTERNAL', 'SEALED_DATA_CORRUPT', 'DATA_NOT_SEALED', 'KEY_UNKNOWN', 'KEY_FILE_INVALID', 'TCN_IN_PROGRESS']);
/**
 * The III purpose code of a submission. The Type-2 fields Concord reads carry none (a booking or a
 * search sent as a file is a criminal-justice transaction), so it is C.
 */
const SEARCH_PURPOSE = 'C';

/**
 * The gateway's EBTS front door: reads a submission (strictly), checks it against the EBTS
 * profile, decodes its finger images and its frontal Type-10 face, runs the same workflow as the
 * JSON API (CAR and CNA book, with the face as the booking photo; TPIS and RPIS identify, with the
 * face searched for leads when the prints are amber) and answers with a transaction whose TCR
 * echoes the submission's TCN, carrying the subject's photo on record where the grant allows.
 * Anything wrong with the file, the images or the request is answered with an ERRT naming every
 * problem found, before anything is stored, and the refusal is audited.
 */
export async function answerEbtsSubmission(gateway: Gateway, requester: Requester, bytes: Uint8Array, now: () => Date): Promise<EbtsReply> {
  let transaction: AnsiNistTransaction | undefined;
  try {
    transaction = readTransaction(bytes);
    const problems = validateEbtsSubmission(transaction);
    if (problems.length > 0) return await refuse(gateway, requester, headerOf(transaction, requester, now), problems);
    const submission = readEbtsSubmission(transaction);
    if (submission.originatingAgency !== requester.ori) {
      throw new ConcordError('BAD_ORI', `field 1.008: ORI ${submission.originatingAgency} is not the ORI of the submitting account (${requester.ori})`, { field: '1.008' });
    }
    // Decoded, extracted and analysed on worker threads, from the bytes already read here; every
    // image is checked before anything is stored.
    const booking = submission.tot === 'CAR' || submission.tot === 'CNA';
    const [{ fingers, sources }, face] = await Promise.all([templatesFromTransaction(bytes, booking ? 'retained' : 'search'), analyseTransactionFaceOnPool(bytes)]);
    const header = responseHeaderFor(submission, { fromAgency: FBI_CJIS_ORI, tcn: responseTcn(now()), at: now() });
    const onRecord = (fin: string | undefined) => photoOnRecord(gateway, requester, SEARCH_PURPOSE, fin, FBI_CJIS_ORI, now());
    switch (submission.tot) {
      case 'CAR':
      case 'CNA': {
        const photo = bookingPhoto(face, submission.tcn);
        const answer = await gateway.book(requester, { tcn: submission.tcn, purpose: SEARCH_PURPOSE, arrest: arrestOf(submission), fingers, ...photo });
        return { tot: 'SRE', bytes: buildSre(header, { ...sreContent(submission, answer, sources), face: await onRecord(answer.immigration.fin) }) };
      }
      case 'TPIS': {
        const answer = await gateway.identify(requester, { tcn: submission.tcn, purpose: SEARCH_PURPOSE, fingers, face: searchFace(face) });
        const candidates = answer.summary.fbiNumber ? [{ fbiNumber: answer.summary.fbiNumber, name: answer.summary.name ?? '' }] : [];
        return { tot: 'SRT', bytes: buildSrt(header, { candidates, messages: [...identifyMessages(answer), ...faceLeadMessages(answer)] }) };
      }
      case 'RPIS': {
        const answer = await gateway.identify(requester, { tcn: submission.tcn, purpose: SEARCH_PURPOSE, fingers, face: searchFace(face) });
        const { name, fbiNumber, fin, category, caveats } = answer.summary;
        const messages = [...caveats.map((c) => `CAUTION: ${c}`), ...faceLeadMessages(answer)];
        return { tot: 'RPISR', bytes: buildRpisr(header, { color: answer.color, name, fbiNumber, category, messages, face: await onRecord(fin) }) };
      }
    }
  } catch (error) {
    if (!(error instanceof ConcordError) || SERVER_ERRORS.has(error.code)) throw error;
    return refuse(gateway, requester, transaction ? headerOf(transaction, requester, now) : salvagedHeader(bytes, requester, now), [error]);
  }
}

async function refuse(gateway: Gateway, requester: Requester, header: ResponseHeader, problems: ConcordError[]): Promise<EbtsReply> {
  await gateway.recordRefusal(requester, 'ebts', header.submissionTcn || undefined, problems[0].code);
  return { tot: 'ERRT', bytes: buildErrt(header, problems), problem: problems[0] };
}

/** The response header from whatever Type-1 the submission has; the account's ORI where it has none. */
function headerOf(transaction: AnsiNistTransaction | undefined, requester: Requester, now: () => Date): ResponseHeader {
  const first = transaction?.records[0];
  const type1 = first?.kind === 'tagged' ? (first as TaggedRecord) : undefined;
  const field = (number: number) => (type1 ? fieldText(type1, number) : undefined);
  return {
    toAgency: field(8) ?? requester.ori,
    submissionTcn: field(9) ?? '',
    fromAgency: FBI_CJIS_ORI,
    tcn: responseTcn(now()),
    at: now(),
  };
}

/** A file too broken to read strictly may still give its ORI and TCN to a lenient read. */
function salvagedHeader(bytes: Uint8Array, requester: Requester, now: () => Date): ResponseHeader {
  try {
    return headerOf(readTransaction(bytes, { lenient: true }).transaction, requester, now);
  } catch {
    return headerOf(undefined, requester, now);
  }
}

/**
 * The arrest as the Type-2 describes it. EBTS's arrest segment (2.047 ASL: offence date and
 * literal) carries no severity: a literal naming a felony is booked as one, anything else as a
 * misdemeanor, and the reason fingerprinted stands in when no segment is given.
 */
function arrestOf(submission: EbtsSubmission): BookingRequest['arrest'] {
  const subject = submission.subject;
  const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
  const [family, given = ''] = text(subject.name).split(',');
  const dob = isoDate(text(subject.dateOfBirth));
  const dateOfArrest = isoDate(text(subject.dateOfArrest) || submission.date);
  const segments = Array.isArray(subject.arrestSegments) ? subject.arrestSegments : subject.arrestSegments ? [subject.arrestSegments] : [];
  const literals = segments.map((segment) => segment.replace(/^\d{8}\s*/, '').trim()).filter((literal) => literal.length > 0);
  if (literals.length === 0) literals.push(text(subject.reasonFingerprinted) || 'NOT STATED');
  return {
    name: { family: family.trim(), given: given.trim() },
    dob,
    sex: text(subject.sex) || undefined,
    dateOfArrest,
    charges: literals.map((literal) => ({ literal, severity: /\bFELONY\b/i.test(literal) ? 'felony' : 'misdemeanor' })),
    juvenile: ageOn(dob, dateOfArrest) < 18,
    treatAsAdult: text(subject.treatAsAdult) === 'Y',
  };
}

function sreContent(submission: EbtsSubmission, answer: BookingAnswer, sources: TransactionFingers['sources']) {
  const messages = answer.wanted.map((w) => `WANTED: ${w.offense} (warrant ${w.warrantNo}, ${w.enteringOri})${w.caution.length ? ` CAUTION: ${w.caution.join(', ')}` : ''}`);
  const immigration = answer.immigration;
  messages.push(`IMMIGRATION ${immigration.status}: ${immigration.message}${immigration.fin ? ` (FIN ${immigration.fin}${immigration.statusClass ? `, ${immigration.statusClass}` : ''})` : ''}`);
  if (answer.withheld) messages.push('some information is withheld under the dissemination policy');
  // Which record (and, for a slap, which cut) each booked finger came from.
  messages.push(`FINGERS: ${sources.map(({ position, source }) => `${position} from ${source}`).join('; ')}`);
  const wantsRapSheet = submission.tot === 'CAR' && submission.subject.rapSheetRequested !== 'N';
  const timeline = answer.criminalHistory?.timeline ?? [];
  const rapSheet = wantsRapSheet && timeline.length > 0 ? timeline.map((entry) => `${entry.date} ${entry.kind.toUpperCase()}: ${entry.summary}`).join('\n') : undefined;
  return { srf: answer.sre.srf, fbiNumber: answer.sre.fbiNumber, name: typeof submission.subject.name === 'string' ? submission.subject.name : undefined, messages, rapSheet };
}

function identifyMessages(answer: IdentifyAnswer): string[] {
  return [`${answer.color.toUpperCase()}${answer.summary.category ? `: ${answer.summary.category}` : ''}`, ...answer.summary.caveats.map((c) => `CAUTION: ${c}`)];
}

/** CCYYMMDD (validated by the profile check) as an ISO date. */
function isoDate(ebts: string): string {
  return `${ebts.slice(0, 4)}-${ebts.slice(4, 6)}-${ebts.slice(6, 8)}`;
}

function ageOn(dob: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(dob.slice(0, 4));
  return on.slice(5) < dob.slice(5) ? years - 1 : years;
}

/** The response's own TCN: unique, at most 40 characters. */
function responseTcn(at: Date): string {
  return `CONCORD-${at.toISOString().replace(/\D/g, '').slice(0, 14)}-${randomBytes(4).toString('hex').toUpperCase()}`;
}
