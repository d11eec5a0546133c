import type { ConcordError } from '../../shared/errors.ts';
import { buildTransaction, type FieldInput, taggedRecord } from '../ansi-nist/build-records.ts';
import { faceRecord, faceRecordsOf, type FaceRecordInput } from '../ansi-nist/face-records.ts';
import { type AnsiNistTransaction, fieldText, splitSubfields, type TaggedRecord } from '../ansi-nist/model.ts';
import { writeTransaction } from '../ansi-nist/write-transaction.ts';
import { formatDate, formatGmt } from './ebts-dates.ts';
import type { EbtsSubmission } from './submission.ts';
import { RESPONSE_FIELDS, SUBJECT_FIELDS } from './type2-fields.ts';

/** Who answers whom: the Type-1 of every response. */
export interface ResponseHeader {
  /** ORI of the agency that sent the submission (becomes 1.007 DAI). */
  readonly toAgency: string;
  /** TCN of the submission being answered (echoed as 1.010 TCR). */
  readonly submissionTcn: string;
  /** ORI of the responder (1.008 ORI). */
  readonly fromAgency: string;
  /** The response's own control number (1.009 TCN). */
  readonly tcn: string;
  readonly at: Date;
  /** 2.006 ATN of the submission, echoed so the answer reaches its person. */
  readonly attention?: string;
}

/** The header answering a submission: to its ORI, echoing its TCN and ATN. */
export function responseHeaderFor(submission: EbtsSubmission, from: { fromAgency: string; tcn: string; at: Date }): ResponseHeader {
  const attention = submission.subject.attention;
  return {
    toAgency: submission.originatingAgency,
    submissionTcn: submission.tcn,
    attention: typeof attention === 'string' ? attention : undefined,
    ...from,
  };
}

export type RisColor = 'red' | 'amber' | 'yellow' | 'green';

export interface SreContent {
  /** I: identified against the repository, N: not identified (a new FBI number was assigned). */
  readonly srf: 'I' | 'N';
  readonly fbiNumber?: string;
  readonly name?: string;
  readonly messages?: readonly string[];
  /** Electronic rap sheet text (2.075 ERS). */
  readonly rapSheet?: string;
  /** The subject's face photo on record, where the requester's grant releases it (a Type-10). */
  readonly face?: FaceRecordInput;
}

/** SRE — Submission Results, Electronic — answering a CAR. */
export function buildSre(header: ResponseHeader, content: SreContent): Uint8Array {
  return writeTransaction(response('SRE', header, {
    [SUBJECT_FIELDS.fbiNumber]: content.fbiNumber,
    [SUBJECT_FIELDS.name]: content.name && asciiOnly(content.name),
    [RESPONSE_FIELDS.searchResult]: content.srf,
    [RESPONSE_FIELDS.message]: repeated(content.messages),
    [RESPONSE_FIELDS.electronicRapSheet]: content.rapSheet && asciiOnly(content.rapSheet, { keepLineBreaks: true }),
  }, content.face));
}

export interface RpisrContent {
  readonly color: RisColor;
  readonly fbiNumber?: string;
  readonly name?: string;
  /** Why red: wanted person, sex offender, known or suspected terrorist... */
  readonly category?: string;
  readonly messages?: readonly string[];
  /** The subject's face photo on record, where the requester's grant releases it (a Type-10). */
  readonly face?: FaceRecordInput;
}

/**
 * RPISR — the RISC answer. Concord's encoding: 2.059 SRF is I for red and amber (the person is
 * known) and N for green; the colour (RED, YELLOW, GREEN — amber is sent as EBTS's yellow) and
 * the category lead 2.060 MSG. No rap sheet, by design of RISC.
 */
export function buildRpisr(header: ResponseHeader, content: RpisrContent): Uint8Array {
  const color = content.color === 'amber' ? 'YELLOW' : content.color.toUpperCase();
  const lead = content.category ? `${color}: ${content.category}` : color;
  return writeTransaction(response('RPISR', header, {
    [SUBJECT_FIELDS.fbiNumber]: content.fbiNumber,
    [SUBJECT_FIELDS.name]: content.name && asciiOnly(content.name),
    [RESPONSE_FIELDS.searchResult]: content.color === 'green' ? 'N' : 'I',
    [RESPONSE_FIELDS.message]: repeated([lead, ...(content.messages ?? [])]),
  }, content.face));
}

/** ERRT — the submission was refused; 2.060 MSG names each field and reason. */
export function buildErrt(header: ResponseHeader, errors: readonly (ConcordError | string)[]): Uint8Array {
  const messages = errors.map((error) => (typeof error === 'string' ? error : `${error.code}: ${error.message}`));
  return writeTransaction(response('ERRT', header, { [RESPONSE_FIELDS.message]: repeated(messages.length > 0 ? messages : ['transaction refused']) }));
}

export interface SrtContent {
  readonly candidates: readonly { fbiNumber: string; name: string }[];
  readonly messages?: readonly string[];
}

/** SRT — Search Results, Ten-Print — the candidate list answering a TPIS. */
export function buildSrt(header: ResponseHeader, content: SrtContent): Uint8Array {
  return writeTransaction(response('SRT', header, {
    [RESPONSE_FIELDS.searchResult]: content.candidates.length > 0 ? 'I' : 'N',
    [RESPONSE_FIELDS.candidates]: content.candidates.length > 0 ? content.candidates.map((c) => [asciiOnly(c.fbiNumber), asciiOnly(c.name)]) : undefined,
    [RESPONSE_FIELDS.message]: repeated(content.messages),
  }));
}

/** What a response says, read back (for the agency side, tests and the CLI). */
export interface EbtsResponse {
  readonly tot: string;
  readonly toAgency: string;
  readonly fromAgency: string;
  readonly tcn: string;
  readonly tcr: string;
  readonly srf?: string;
  readonly fbiNumber?: string;
  readonly name?: string;
  readonly messages: string[];
  readonly candidates: { fbiNumber: string; name: string }[];
  readonly rapSheet?: string;
  /** The face photos the Type-10s carry, as sent (base64), so the reading serves as JSON too. */
  readonly faces: { idc: number; compression: string; image: string }[];
}

export function readEbtsResponse(transaction: AnsiNistTransaction): EbtsResponse {
  const type1 = transaction.records[0] as TaggedRecord;
  const type2 = transaction.records.find((record) => record.type === 2) as TaggedRecord | undefined;
  const two = (number: number) => (type2 ? fieldText(type2, number) : undefined);
  const list = (number: number) => {
    const value = two(number);
    return value === undefined ? [] : splitSubfields(value);
  };
  return {
    tot: fieldText(type1, 4) ?? '',
    toAgency: fieldText(type1, 7) ?? '',
    fromAgency: fieldText(type1, 8) ?? '',
    tcn: fieldText(type1, 9) ?? '',
    tcr: fieldText(type1, 10) ?? '',
    srf: two(RESPONSE_FIELDS.searchResult),
    fbiNumber: two(SUBJECT_FIELDS.fbiNumber),
    name: two(SUBJECT_FIELDS.name),
    messages: list(RESPONSE_FIELDS.message).map((items) => items.join(' ')),
    candidates: list(RESPONSE_FIELDS.candidates).map(([fbiNumber, name]) => ({ fbiNumber, name: name ?? '' })),
    rapSheet: two(RESPONSE_FIELDS.electronicRapSheet),
    faces: faceRecordsOf(transaction).map(({ idc, compression, data }) => ({ idc, compression, image: Buffer.from(data).toString('base64') })),
  };
}

function response(tot: string, header: ResponseHeader, type2Values: Record<number, FieldInput | undefined>, face?: FaceRecordInput): AnsiNistTransaction {
  const type1 = {
    2: '0502',
    4: tot,
    5: formatDate(header.at),
    7: header.toAgency,
    8: header.fromAgency,
    9: header.tcn,
    10: header.submissionTcn,
    11: '00.00', // no fingerprint images in a response (a Type-10 states its own scale)
    12: '00.00',
    14: formatGmt(header.at),
  };
  const type2 = taggedRecord(2, { 2: '00', [SUBJECT_FIELDS.attention]: header.attention, ...type2Values });
  return buildTransaction(type1, face ? [type2, faceRecord(face, 1)] : [type2]);
}

/** Repeated text as subfields, with separators and non-ASCII replaced so any message can be sent. */
function repeated(values: readonly string[] | undefined): string[][] | undefined {
  if (!values || values.length === 0) return undefined;
  return values.map((value) => [asciiOnly(value)]);
}

/** Text fields are ASCII: accents are dropped (MÜLLER becomes MULLER), other characters become spaces. */
function asciiOnly(text: string, options: { keepLineBreaks?: boolean } = {}): string {
  const stripped = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return options.keepLineBreaks ? stripped.replace(/[^\x20-\x7e\n]/g, ' ') : stripped.replace(/[^\x20-\x7e]/g, ' ');
}
