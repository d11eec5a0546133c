import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { indexPrints, multipart, useTestSystem } from '../testing/test-system.ts';
import { run as historyCommand } from '../cli/commands/history.ts';

/** The one-stop history asked for by prints (domain brief 5.8) rather than by an identifier. */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);

const get = (url: string, user: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${t.tokens[user]}` } });

interface AuditRow {
  event: string;
  outcome: string;
  purpose: string | null;
  record_ids: string[];
  field_classes: string[];
}

async function lastAudit(): Promise<AuditRow> {
  const [row] = await t.system.databases.gateway!.query<AuditRow>('SELECT event, outcome, purpose, record_ids, field_classes FROM audit_log ORDER BY seq DESC LIMIT 1');
  return row;
}

async function enroll(tcn: string, family: string, fingers: [string, string]): Promise<string> {
  const enrolled = await t.post('/v1/encounters', 'port', [
    { name: 'subject', json: { tcn, port: 'IAD', inspectionDate: today, admissionClass: 'B2', name: { family, given: 'LUC' }, dob: '1990-02-03', sex: 'M', nationality: 'FRA', document: { type: 'passport', number: `P${tcn.length}${family.length}0002`, issuingCountry: 'FRA' } } },
    ...indexPrints(...fingers),
  ]);
  expect(enrolled.statusCode, enrolled.body).toBe(200);
  return enrolled.json().fin;
}

async function book(tcn: string, family: string, fingers: [string, string]): Promise<string> {
  const booked = await t.post('/v1/bookings', 'booking', [
    { name: 'booking', json: { tcn, purpose: 'C', name: { family, given: 'LUC' }, dob: '1990-02-03', sex: 'M', dateOfArrest: today, charges: [{ literal: 'BURGLARY', severity: 'felony' }] } },
    ...indexPrints(...fingers),
  ]);
  expect(booked.statusCode, booked.body).toBe(200);
  return booked.json().sre.fbiNumber;
}

let fbiNumber: string;
let fin: string;
let travellerFin: string;
beforeAll(async () => {
  // Known to both repositories and linked: enrolled at a port, later booked.
  fin = await enroll('POE-PRINTS-1', 'MARTIN', ['109_1', '110_1']);
  fbiNumber = await book('CAR-PRINTS-1', 'MARTIN', ['109_2', '110_2']);
  // Known to the immigration repository only.
  travellerFin = await enroll('POE-PRINTS-2', 'BERNARD', ['103_1', '104_1']);
}, 60_000);

describe('one-stop history by prints', () => {
  it('answers what the same requester gets by FBI number, and audits it as a disclosure by prints', async () => {
    const byPrints = await t.post('/v1/history?purpose=C', 'booking', indexPrints('109_1', '110_1'));
    expect(byPrints.statusCode, byPrints.body).toBe(200);
    const disclosure = await lastAudit();
    const byId = (await get(`/v1/subjects/${fbiNumber}/history?purpose=C`, 'booking')).json();
    expect(byPrints.json()).toEqual(byId);
    expect(byId.subject).toBe(fbiNumber);
    expect(byId.withheld).toBe(true); // a local booking officer gets the immigration summary only
    expect(disclosure).toMatchObject({ event: 'history_by_prints.disclose', outcome: 'success', purpose: 'C', record_ids: [fbiNumber, fin] });
    expect(disclosure.field_classes).toContain('immigration_summary');
  });

  it('by identifier, answers an unknown FIN or FBI number with 404, not an empty history, and audits the lookup', async () => {
    for (const id of ['FIN0000000', '9999999ZZ']) {
      const response = await get(`/v1/subjects/${id}/history?purpose=C`, 'ice');
      expect([response.statusCode, response.json().error.code]).toEqual([404, 'SUBJECT_NOT_FOUND']);
      expect(await lastAudit()).toMatchObject({ event: 'history.not_found', outcome: 'refused', purpose: 'C', record_ids: [id] });
    }
  });

  it('filters by the requester: ICE with purpose C sees the immigration timeline', async () => {
    const history = (await t.post('/v1/history?purpose=C', 'ice', indexPrints('109_2', '110_2'))).json();
    expect(history.subject).toBe(fbiNumber);
    expect(history.timeline.some((entry: { source: string }) => entry.source === 'immigration')).toBe(true);
  });

  it('names a traveller known to the immigration repository alone by FIN', async () => {
    const history = (await t.post('/v1/history?purpose=C', 'ice', indexPrints('103_1', '104_1'))).json();
    expect(history.subject).toBe(travellerFin);
    expect(history.identifiers.fin).toBe(travellerFin);
  });

  it('searches only the repositories the grant opens: no immigration search for a local purpose J', async () => {
    const response = await t.post('/v1/history?purpose=J', 'booking', indexPrints('103_1', '104_1'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'SUBJECT_NOT_FOUND', where: { matchLevel: 'none' } });
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.no_identification', outcome: 'refused', purpose: 'J', record_ids: ['prints'] });
  });

  it('refuses, without a search, a purpose for which the policy releases nothing to the requester', async () => {
    const response = await t.post('/v1/history?purpose=R', 'booking', indexPrints('109_1', '110_1'));
    expect([response.statusCode, response.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.refused', outcome: 'refused', purpose: 'R' });
  });

  it('refuses, and audits, a request without a purpose before reading its prints', async () => {
    const response = await t.post('/v1/history', 'booking', [{ name: 'finger_2', file: new Uint8Array([1, 2, 3]) }]);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MISSING_PURPOSE');
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.refused', outcome: 'refused', record_ids: ['prints'] });
  });

  it('refuses a role without the right to histories (403), audited', async () => {
    const response = await t.post('/v1/history?purpose=C', 'field', indexPrints('109_1', '110_1'));
    expect(response.statusCode).toBe(403);
    expect(await lastAudit()).toMatchObject({ event: 'history.refused', outcome: 'refused' });
  });

  it('discloses nothing for prints that identify no one, and records the search', async () => {
    const response = await t.post('/v1/history?purpose=C', 'booking', indexPrints('105_1', '106_1'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'SUBJECT_NOT_FOUND', where: { matchLevel: 'none' } });
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.no_identification', purpose: 'C', record_ids: ['prints'] });
  });

  it('discloses nothing when the identity links tie the two records found to different people', async () => {
    const conflictFin = await enroll('POE-PRINTS-3', 'LAMBERT', ['107_1', '108_1']);
    const conflictFbi = await book('CAR-PRINTS-3', 'LAMBERT', ['107_2', '108_2']);
    // As if an earlier booking had been linked to another traveller.
    await t.system.databases.gateway!.execute('UPDATE identity_links SET fin = $1 WHERE fbi_number = $2', ['FIN-ELSEWHERE', conflictFbi]);
    const response = await t.post('/v1/history?purpose=C', 'booking', indexPrints('107_1', '108_1'));
    expect([response.statusCode, response.json().error.code]).toEqual([409, 'IDENTITY_CONFLICT']);
    expect(response.body).not.toContain(conflictFbi);
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.identity_conflict', outcome: 'refused', record_ids: [conflictFbi, conflictFin] });
  });

  it('takes 1 to 10 finger images and nothing else; a broken body is a 400', async () => {
    const none = await t.post('/v1/history?purpose=C', 'booking', []);
    expect([none.statusCode, none.json().error.code]).toEqual([400, 'FINGER_COUNT']);
    expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.refused', outcome: 'refused', record_ids: ['prints'] });
    const extra = await t.post('/v1/history?purpose=C', 'booking', [...indexPrints('109_1', '110_1'), { name: 'tcn', text: 'X-1' }]);
    expect([extra.statusCode, extra.json().error.code]).toEqual([400, 'BAD_REQUEST']);
    const { body, contentType } = multipart(indexPrints('109_1', '110_1'));
    const truncated = await t.app.inject({ method: 'POST', url: '/v1/history?purpose=C', payload: body.subarray(0, body.length - 200), headers: { 'content-type': contentType, authorization: `Bearer ${t.tokens.booking}` } });
    expect([truncated.statusCode, truncated.json().error.code]).toEqual([400, 'BAD_REQUEST']);
  });

  it('is asked from the CLI with finger_N=IMAGE arguments', async () => {
    const url = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const file = (name: string) => fileURLToPath(new URL(`../../fixtures/fingerprints/${name}.png`, import.meta.url));
    const written: string[] = [];
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => written.push(String(chunk)) > 0);
    try {
      await historyCommand([`finger_2=${file('109_1')}`, `finger_7=${file('110_1')}`, '--purpose', 'C', '--url', url, '--token', t.tokens.booking]);
    } finally {
      stdout.mockRestore();
    }
    expect(JSON.parse(written.join(''))).toMatchObject({ subject: fbiNumber, purpose: 'C', withheld: true });
  });

  it('records a search that failed because a repository is down', async () => {
    await t.system.stopNode('immigration');
    try {
      const response = await t.post('/v1/history?purpose=C', 'booking', indexPrints('109_1', '110_1'));
      expect(response.statusCode).toBe(503);
      expect(await lastAudit()).toMatchObject({ event: 'history_by_prints.search_failed', outcome: 'failure', record_ids: ['prints'] });
    } finally {
      await t.system.startNode('immigration');
    }
  });
});
