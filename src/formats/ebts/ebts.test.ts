import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isConcordError } from '../../shared/errors.ts';
import type { TaggedRecord } from '../ansi-nist/model.ts';
import { readTransaction } from '../ansi-nist/read-transaction.ts';
import { writeTransaction } from '../ansi-nist/write-transaction.ts';
import { buildSubmission, type SubmissionFinger, type SubmissionRequest } from './build-submission.ts';
import { checkDate } from './ebts-dates.ts';
import { fieldMnemonic } from './mnemonics.ts';
import { buildErrt, buildRpisr, buildSre, buildSrt, readEbtsResponse, responseHeaderFor } from './responses.ts';
import { readEbtsSubmission, validateEbtsSubmission } from './submission.ts';
import { RESPONSE_FIELDS, SUBJECT_FIELDS } from './type2-fields.ts';

const at = new Date('2026-03-14T09:26:53Z');

function finger(position: number): SubmissionFinger {
  const width = 16;
  const height = 12;
  return { position, width, height, ppi: 500, compression: 'NONE', data: Uint8Array.from({ length: width * height }, (_, i) => (i * position) & 255) };
}

const fingers = (count: number) => Array.from({ length: count }, (_, i) => finger(i + 1));

const car: SubmissionRequest = {
  tot: 'CAR',
  ori: 'NY0303000',
  tcn: 'NY0303000-20260314-0001',
  at,
  subject: { name: 'DOE,JOHN Q', dateOfBirth: '19800229', sex: 'M', aliases: ['SMITH,JOHN', 'DOE,J'], attention: 'DET. RIVERA', retain: 'Y' },
};

/** Build, write and read back, as a receiver would. */
const roundTrip = (request: SubmissionRequest, images: SubmissionFinger[]) => readTransaction(writeTransaction(buildSubmission(request, images)));

describe('EBTS submissions', () => {
  it('a built CAR parses back with the same fields', () => {
    const submission = readEbtsSubmission(roundTrip(car, fingers(10)));
    expect(submission).toMatchObject({ tot: 'CAR', version: '0502', date: '20260314', originatingAgency: 'NY0303000', destinationAgency: 'WVIAFIS0Z', tcn: car.tcn });
    expect(submission.subject).toEqual({ name: 'DOE,JOHN Q', dateOfBirth: '19800229', sex: 'M', aliases: ['SMITH,JOHN', 'DOE,J'], attention: 'DET. RIVERA', retain: 'Y' });
    expect(submission.fingers.map((f) => [f.position, f.impression, f.width, f.height, f.compression])).toEqual(
      fingers(10).map((f) => [f.position, 1, 16, 12, 'NONE']),
    );
  });

  it('scenario 13: a CAR missing NAM or DOB is refused naming the field', () => {
    for (const [missing, field] of [['name', '2.018'], ['dateOfBirth', '2.022']] as const) {
      const subject = { ...car.subject };
      delete subject[missing];
      const problems = validateEbtsSubmission(roundTrip({ ...car, subject }, fingers(10)));
      expect(problems.map((p) => [p.code, p.where.field])).toEqual([['MISSING_FIELD', field]]);
    }
  });

  it('scenario 13: a DOB of 20261340 is an invalid date', () => {
    const problems = validateEbtsSubmission(roundTrip({ ...car, subject: { ...car.subject, dateOfBirth: '20261340' } }, fingers(10)));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: 'INVALID_DATE', where: { field: '2.022' } });
    expect(problems[0].message).toMatch(/month 13/);
  });

  it('scenario 18: an RPIS with 1 or 11 fingers is refused with FINGER_COUNT; 2 and 10 are accepted', () => {
    const rpis: SubmissionRequest = { tot: 'RPIS', ori: 'NY0303000', tcn: 'R1', at };
    for (const count of [1, 11]) {
      const images = count === 11 ? [...fingers(10), finger(3)] : fingers(count);
      const error = (() => {
        try {
          readEbtsSubmission(roundTrip(rpis, images));
        } catch (caught) {
          return caught;
        }
      })();
      expect(isConcordError(error, 'FINGER_COUNT')).toBe(true);
    }
    expect(readEbtsSubmission(roundTrip(rpis, fingers(2))).fingers.map((f) => f.impression)).toEqual([0, 0]);
    expect(validateEbtsSubmission(roundTrip(rpis, fingers(10)))).toEqual([]);
  });

  it('accepts a CAR whose 1.015 declares UTF-8 and whose name is not ASCII', () => {
    const built = buildSubmission({ ...car, subject: { ...car.subject, name: 'MÜLLER,JOSÉ' } }, fingers(10));
    const type1 = built.records[0] as TaggedRecord;
    const declared = { ...built, records: [{ ...type1, fields: [...type1.fields, { tag: '1.015', number: 15, value: '003\x1fUTF-8' }] }, ...built.records.slice(1)] };
    const received = readTransaction(writeTransaction(declared));
    expect(validateEbtsSubmission(received)).toEqual([]);
    expect(readEbtsSubmission(received).subject.name).toBe('MÜLLER,JOSÉ');
  });

  it('reports every Type-1 problem: unknown TOT, bad date, bad ORI, bad resolution', () => {
    const transaction = roundTrip({ ...car, ori: 'SHORT' }, fingers(1));
    const type1 = transaction.records[0];
    if (type1.kind !== 'tagged') throw new Error('Type-1 expected');
    const fields = type1.fields.map((f) => (f.number === 4 ? { ...f, value: 'XYZ' } : f.number === 5 ? { ...f, value: '20260230' } : f.number === 11 ? { ...f, value: '500' } : f));
    const problems = validateEbtsSubmission({ records: [{ ...type1, fields }, ...transaction.records.slice(1)] });
    expect(problems.map((p) => [p.code, p.where.field])).toEqual([
      ['UNSUPPORTED_TOT', '1.004'],
      ['INVALID_DATE', '1.005'],
      ['INVALID_FIELD', '1.008'],
      ['INVALID_FIELD', '1.011'],
    ]);
  });

  it('the NIST ten-print fixture is not an EBTS submission (TOT AMN) and says so', () => {
    const tenPrint = readTransaction(new Uint8Array(readFileSync(new URL('../../../fixtures/ansi-nist/type-14-tpcard-nqm.an2', import.meta.url))));
    expect(validateEbtsSubmission(tenPrint).map((p) => [p.code, p.where.field])).toEqual([['UNSUPPORTED_TOT', '1.004']]);
  });

  it('checks calendar dates, allowing unknown month and day only where asked', () => {
    expect(checkDate('20000229')).toBeUndefined();
    expect(checkDate('19000229')).toMatch(/day 29/);
    expect(checkDate('19800000', { allowUnknownParts: true })).toBeUndefined();
  });

  it('knows a mnemonic for every Type-2 field it reads or writes', () => {
    for (const number of [...Object.values(SUBJECT_FIELDS), ...Object.values(RESPONSE_FIELDS)]) expect(fieldMnemonic(2, number)).toBeDefined();
    expect(fieldMnemonic(14, 13)).toBe('FGP');
    expect(fieldMnemonic(15, 13)).toBe('FGP');
  });
});

describe('EBTS responses', () => {
  const submission = readEbtsSubmission(roundTrip(car, fingers(10)));
  const header = responseHeaderFor(submission, { fromAgency: 'WVIAFIS0Z', tcn: 'FBI-0001', at });

  it('an SRE answers the submitter and echoes its TCN as TCR', () => {
    const response = readEbtsResponse(readTransaction(buildSre(header, { srf: 'N', fbiNumber: '123456AB7', name: 'MÜLLER,JOHN', messages: ['NO PRIOR RECORD'], rapSheet: 'line 1\nline 2' })));
    expect(response).toMatchObject({ tot: 'SRE', toAgency: 'NY0303000', fromAgency: 'WVIAFIS0Z', tcn: 'FBI-0001', tcr: car.tcn, srf: 'N', fbiNumber: '123456AB7', name: 'MULLER,JOHN', rapSheet: 'line 1\nline 2' });
    expect(response.messages).toEqual(['NO PRIOR RECORD']);
  });

  it('an ERRT lists each problem with its field', () => {
    const problems = validateEbtsSubmission(roundTrip({ ...car, subject: { ...car.subject, dateOfBirth: '20261340', sex: 'Q' } }, fingers(10)));
    const response = readEbtsResponse(readTransaction(buildErrt(header, problems)));
    expect(response.tot).toBe('ERRT');
    expect(response.tcr).toBe(car.tcn);
    expect(response.messages).toHaveLength(2);
    expect(response.messages[0]).toMatch(/^INVALID_DATE: field 2\.022/);
    expect(response.messages[1]).toMatch(/^INVALID_FIELD: field 2\.024/);
  });

  it('an RPISR carries the colour and category, no rap sheet', () => {
    const red = readEbtsResponse(readTransaction(buildRpisr(header, { color: 'red', category: 'WANTED PERSON', fbiNumber: '99X', name: 'DOE,JOHN' })));
    expect(red).toMatchObject({ tot: 'RPISR', srf: 'I', messages: ['RED: WANTED PERSON'], rapSheet: undefined });
    expect(readEbtsResponse(readTransaction(buildRpisr(header, { color: 'amber' }))).messages).toEqual(['YELLOW']);
    expect(readEbtsResponse(readTransaction(buildRpisr(header, { color: 'green' }))).srf).toBe('N');
  });

  it('an SRT lists the candidates', () => {
    const response = readEbtsResponse(readTransaction(buildSrt(header, { candidates: [{ fbiNumber: '1A', name: 'DOE,JOHN' }, { fbiNumber: '2B', name: 'ROE,RICHARD' }] })));
    expect(response.candidates).toEqual([{ fbiNumber: '1A', name: 'DOE,JOHN' }, { fbiNumber: '2B', name: 'ROE,RICHARD' }]);
    expect(response.srf).toBe('I');
  });
});
