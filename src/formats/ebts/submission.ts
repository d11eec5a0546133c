import { ConcordError } from '../../shared/errors.ts';
import { summarizeImages } from '../ansi-nist/image-records.ts';
import { type AnsiNistTransaction, fieldText, splitSubfields, type TaggedRecord } from '../ansi-nist/model.ts';
import { checkDate } from './ebts-dates.ts';
import { REPEATED_SUBJECT_FIELDS, SUBJECT_FIELDS, type SubjectFieldName } from './type2-fields.ts';

/** Incoming TOTs Concord accepts. */
export const SUBMISSION_TOTS = ['CAR', 'CNA', 'TPIS', 'RPIS'] as const;
export type SubmissionTot = (typeof SUBMISSION_TOTS)[number];

/** The subject as the Type-2 describes it; repeated fields as lists, items joined by a space. */
export type SubjectDescription = Partial<Record<SubjectFieldName, string | string[]>>;

export interface SubmittedFinger {
  /** 1-based position of the image record in the transaction. */
  readonly record: number;
  readonly type: number;
  readonly idc: number;
  readonly position: number;
  readonly impression: number | undefined;
  readonly width: number;
  readonly height: number;
  readonly compression: string;
}

/** A typed view of an EBTS submission; the transaction itself stays the source of truth. */
export interface EbtsSubmission {
  readonly tot: SubmissionTot;
  readonly version: string;
  readonly date: string;
  readonly priority: number | undefined;
  /** 1.007 DAI: the agency the submission is for. */
  readonly destinationAgency: string;
  /** 1.008 ORI: the submitting agency, to which the answer goes. */
  readonly originatingAgency: string;
  readonly tcn: string;
  readonly subject: SubjectDescription;
  readonly fingers: readonly SubmittedFinger[];
  readonly transaction: AnsiNistTransaction;
}

const TYPE1_MANDATORY = [1, 2, 3, 4, 5, 7, 8, 9, 11, 12];
const TYPE1_NAMES: Record<number, string> = { 1: 'LEN', 2: 'VER', 3: 'CNT', 4: 'TOT', 5: 'DAT', 7: 'DAI', 8: 'ORI', 9: 'TCN', 11: 'NSR', 12: 'NTR' };
const VERSIONS = new Set(['0300', '0400', '0500', '0501', '0502']);
const TEN_PRINT_MANDATORY: SubjectFieldName[] = ['name', 'dateOfBirth', 'sex'];
const SEX_CODES = new Set(['M', 'F', 'X', 'U']);
const YES_NO: SubjectFieldName[] = ['retain', 'rapSheetRequested'];
/** RISC searches take 2 to 10 individual fingers (EBTS RPIS). */
const RPIS_FINGERS = { min: 2, max: 10 };
/** A ten-print card holds at most ten rolled fingers and four plain slaps. */
const TEN_PRINT_FINGERS = { min: 1, max: 14 };

/**
 * Every EBTS profile problem of a submission, each a ConcordError naming the field (scenario 13)
 * — empty when the submission is valid. The transaction must already have been read (structure
 * problems are the ANSI/NIST reader's).
 */
export function validateEbtsSubmission(transaction: AnsiNistTransaction): ConcordError[] {
  const problems: ConcordError[] = [];
  const type1 = transaction.records[0] as TaggedRecord;
  const problem = (code: string, field: string, message: string, extra: Record<string, string | number> = {}) =>
    problems.push(new ConcordError(code, `field ${field}: ${message}`, { field, ...extra }));

  for (const number of TYPE1_MANDATORY) {
    if (!fieldText(type1, number)) problem('MISSING_FIELD', `1.${pad(number)}`, `${TYPE1_NAMES[number]} is mandatory`, { record: 1 });
  }
  const version = fieldText(type1, 2);
  if (version && !VERSIONS.has(version)) problem('INVALID_FIELD', '1.002', `version ${version} is not one of ${[...VERSIONS].join(', ')}`);
  const tot = fieldText(type1, 4);
  if (tot && !isSubmissionTot(tot)) problem('UNSUPPORTED_TOT', '1.004', `TOT ${tot} is not a submission Concord accepts (${SUBMISSION_TOTS.join(', ')})`);
  const date = fieldText(type1, 5);
  const dateError = date ? checkDate(date) : undefined;
  if (dateError) problem('INVALID_DATE', '1.005', `DAT is not a valid date: ${dateError}`);
  const priority = fieldText(type1, 6);
  if (priority !== undefined && !/^[1-9]$/.test(priority)) problem('INVALID_FIELD', '1.006', `PRY "${priority}" is not 1-9`);
  const ori = fieldText(type1, 8);
  if (ori && !/^[A-Za-z0-9]{9}$/.test(ori)) problem('INVALID_FIELD', '1.008', `ORI "${ori}" is not nine letters and digits`);
  const tcn = fieldText(type1, 9);
  if (tcn && tcn.length > 40) problem('INVALID_FIELD', '1.009', 'TCN is longer than 40 characters');
  for (const number of [11, 12]) {
    const resolution = fieldText(type1, number);
    if (resolution && !/^\d{2}\.\d{2}$/.test(resolution)) problem('INVALID_FIELD', `1.0${number}`, `"${resolution}" is not a resolution in pixels per millimetre (NN.NN)`);
  }

  const type2s = transaction.records.map((record, i) => ({ record, index: i + 1 })).filter(({ record }) => record.type === 2);
  if (type2s.length !== 1) {
    problem('MISSING_RECORD', '2.001', `an EBTS submission carries exactly one Type-2 record, this one has ${type2s.length}`);
  } else if (tot && isSubmissionTot(tot)) {
    checkSubject(type2s[0].record as TaggedRecord, type2s[0].index, tot, date, problem);
  }
  if (tot && isSubmissionTot(tot)) checkFingers(transaction, tot, problem);
  return problems;
}

/** The typed view of a valid submission; throws the first profile problem otherwise. */
export function readEbtsSubmission(transaction: AnsiNistTransaction): EbtsSubmission {
  const [first] = validateEbtsSubmission(transaction);
  if (first) throw first;
  const type1 = transaction.records[0] as TaggedRecord;
  const type2 = transaction.records.find((record) => record.type === 2) as TaggedRecord;
  const text = (number: number) => fieldText(type1, number) ?? '';
  const priority = fieldText(type1, 6);
  return {
    tot: text(4) as SubmissionTot,
    version: text(2),
    date: text(5),
    priority: priority === undefined ? undefined : Number(priority),
    destinationAgency: text(7),
    originatingAgency: text(8),
    tcn: text(9),
    subject: readSubject(type2),
    fingers: fingersOf(transaction),
    transaction,
  };
}

export function isSubmissionTot(tot: string): tot is SubmissionTot {
  return (SUBMISSION_TOTS as readonly string[]).includes(tot);
}

/** The subject fields present in a Type-2, by name. */
export function readSubject(type2: TaggedRecord): SubjectDescription {
  const subject: SubjectDescription = {};
  for (const [name, number] of Object.entries(SUBJECT_FIELDS) as [SubjectFieldName, number][]) {
    const value = fieldText(type2, number);
    if (value === undefined) continue;
    subject[name] = REPEATED_SUBJECT_FIELDS.has(name) ? splitSubfields(value).map((items) => items.join(' ')) : value;
  }
  return subject;
}

type Report = (code: string, field: string, message: string, extra?: Record<string, string | number>) => void;

function checkSubject(type2: TaggedRecord, index: number, tot: SubmissionTot, transactionDate: string | undefined, problem: Report): void {
  const at = { record: index, recordType: 2 };
  const value = (name: SubjectFieldName) => fieldText(type2, SUBJECT_FIELDS[name]);
  const tag = (name: SubjectFieldName) => `2.${pad(SUBJECT_FIELDS[name])}`;
  if (tot === 'CAR' || tot === 'CNA') {
    for (const name of TEN_PRINT_MANDATORY) {
      if (!value(name)) problem('MISSING_FIELD', tag(name), `${mnemonicOf(name)} is mandatory for a ${tot}`, at);
    }
  }
  const name = value('name');
  if (name && !/^\p{L}[\p{L}' -]*,[\p{L}' -]*$/u.test(name)) problem('INVALID_FIELD', tag('name'), `NAM "${name}" is not LAST,FIRST MIDDLE`, at);
  if (name && name.length > 50) problem('INVALID_FIELD', tag('name'), 'NAM is longer than 50 characters', at);
  const dob = value('dateOfBirth');
  if (dob) {
    const error = checkDate(dob, { allowUnknownParts: true });
    if (error) problem('INVALID_DATE', tag('dateOfBirth'), `DOB is not a valid date: ${error}`, at);
    else if (transactionDate && dob > transactionDate) problem('INVALID_DATE', tag('dateOfBirth'), `DOB ${dob} is after the transaction date ${transactionDate}`, at);
  }
  for (const dateField of ['datePrinted', 'dateOfArrest'] as const) {
    const text = value(dateField);
    const error = text ? checkDate(text) : undefined;
    if (error) problem('INVALID_DATE', tag(dateField), `${mnemonicOf(dateField)} is not a valid date: ${error}`, at);
  }
  const sex = value('sex');
  if (sex && !SEX_CODES.has(sex)) problem('INVALID_FIELD', tag('sex'), `SEX "${sex}" is not one of M, F, X, U`, at);
  for (const flag of YES_NO) {
    const text = value(flag);
    if (text && text !== 'Y' && text !== 'N') problem('INVALID_FIELD', tag(flag), `${mnemonicOf(flag)} must be Y or N`, at);
  }
}

function checkFingers(transaction: AnsiNistTransaction, tot: SubmissionTot, problem: Report): void {
  const fingers = fingersOf(transaction);
  const range = tot === 'RPIS' ? RPIS_FINGERS : TEN_PRINT_FINGERS;
  if (fingers.length < range.min || fingers.length > range.max) {
    problem('FINGER_COUNT', tot === 'RPIS' ? '14.013' : '1.003', `a ${tot} carries ${range.min} to ${range.max} finger images, this one has ${fingers.length}`, { count: fingers.length });
  }
  const seen = new Set<number>();
  for (const finger of fingers) {
    const field = finger.type === 4 ? '4.004' : `${finger.type}.013`;
    const maxPosition = tot === 'RPIS' ? 10 : 15;
    if (!Number.isInteger(finger.position) || finger.position < 1 || finger.position > maxPosition) {
      problem('INVALID_FIELD', field, `finger position ${finger.position} is not allowed in a ${tot} (1-${maxPosition})`, { record: finger.record, idc: finger.idc });
    } else if (seen.has(finger.position)) {
      problem('INVALID_FIELD', field, `finger position ${finger.position} appears twice`, { record: finger.record, idc: finger.idc });
    }
    seen.add(finger.position);
  }
}

function fingersOf(transaction: AnsiNistTransaction): SubmittedFinger[] {
  return summarizeImages(transaction)
    .filter((summary) => summary.type === 4 || summary.type === 14)
    .map((summary) => ({
      record: summary.record,
      type: summary.type,
      idc: summary.idc,
      position: summary.positions[0] ?? 0,
      impression: summary.impression,
      width: summary.width,
      height: summary.height,
      compression: summary.compression,
    }));
}

const MNEMONICS: Partial<Record<SubjectFieldName, string>> = {
  name: 'NAM', dateOfBirth: 'DOB', sex: 'SEX', datePrinted: 'DPR', dateOfArrest: 'DOA', retain: 'RET', rapSheetRequested: 'RAP',
};

function mnemonicOf(name: SubjectFieldName): string {
  return MNEMONICS[name] ?? name;
}

function pad(number: number): string {
  return String(number).padStart(3, '0');
}
