import { describe, expect, it } from 'vitest';
import { fixturePrint, useTestSystem } from '../testing/test-system.ts';

/**
 * A booking's integrity (review finding F8): what an arrest may carry, who may report a court's
 * disposition, no arrest without its audit record, and a history that never crashes on a stored
 * row it cannot read.
 */
const t = useTestSystem();
const today = new Date().toISOString().slice(0, 10);
let counter = 0;
const nextTcn = () => `INT-${Date.now().toString(36)}-${counter++}`;

function arrest(overrides: Record<string, unknown> = {}) {
  return {
    tcn: nextTcn(),
    purpose: 'C',
    name: { family: 'STRANGER', given: 'TEST' },
    dob: '1990-01-01',
    sex: 'M',
    dateOfArrest: today,
    charges: [{ literal: 'THEFT', severity: 'misdemeanor', ncicOffenseCode: '2399' }],
    ...overrides,
  };
}

const book = (booking: Record<string, unknown>, prints: [string, string], user = 'booking') =>
  t.post('/v1/bookings', user, [
    { name: 'booking', json: booking },
    { name: 'finger_2', file: fixturePrint(prints[0]) },
    { name: 'finger_7', file: fixturePrint(prints[1]) },
  ]);

const history = (id: string, user: string) => t.app.inject({ method: 'GET', url: `/v1/subjects/${id}/history?purpose=C`, headers: { authorization: `Bearer ${t.tokens[user]}` } });

async function arrestsWithTcn(tcn: string): Promise<number> {
  const [row] = await t.system.databases.criminal!.query<{ n: number }>('SELECT count(*)::int AS n FROM arrests WHERE tcn = $1', [tcn]);
  return Number(row.n);
}

async function auditOf(tcn: string): Promise<{ event: string; user_id: string; ori: string; outcome: string; record_ids: string[] }[]> {
  return t.system.databases.gateway!.query('SELECT event, user_id, ori, outcome, record_ids FROM audit_log WHERE tcn = $1 ORDER BY seq', [tcn]);
}

/** Makes the gateway's audit writes of one event fail, as a database that refuses them would. */
async function failAuditOf(event: string | null): Promise<void> {
  const gateway = t.system.databases.gateway!;
  await gateway.query('DROP TRIGGER IF EXISTS test_fail_audit ON audit_log');
  if (event === null) return;
  await gateway.query(`CREATE OR REPLACE FUNCTION test_fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.event = TG_ARGV[0] THEN RAISE EXCEPTION 'audit store refused the record'; END IF; RETURN NEW; END $$`);
  await gateway.query(`CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION test_fail_audit('${event}')`);
}

describe('bookings: what an arrest may carry (F8)', () => {
  let fbiNumber: string;

  it('refuses a null disposition (400, naming it), stores nothing, audits the refusal, and the subject’s history stays readable by everyone', async () => {
    const first = await book(arrest(), ['101_1', '102_1']);
    expect(first.statusCode, first.body).toBe(200);
    fbiNumber = first.json().sre.fbiNumber;

    const poison = arrest({ dispositions: [null] });
    const refused = await book(poison, ['101_2', '102_2']);
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json().error).toMatchObject({ code: 'BAD_REQUEST', where: { field: 'dispositions.0' } });
    expect(await arrestsWithTcn(poison.tcn)).toBe(0);
    // Refused at the edge, by the booking part's schema, before the gateway is asked: audited as the route's refusal.
    const [audited] = await t.system.databases.gateway!.query<{ event: string; outcome: string; record_ids: string[] }>('SELECT event, outcome, record_ids FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(audited).toMatchObject({ event: 'book.refused', outcome: 'refused', record_ids: ['reason:BAD_REQUEST'] });
    for (const user of ['port', 'fbi', 'ice', 'booking']) {
      const read = await history(fbiNumber, user);
      expect(read.statusCode, `${user}: ${read.body}`).toBe(200);
    }
  });

  it('refuses a conviction with a date that is not a date, and one a booking officer sends at all (courts report them)', async () => {
    const notADate = arrest({ dispositions: [{ outcome: 'convicted', court: 'anything', date: 'not-a-date' }] });
    const bad = await book(notADate, ['101_2', '102_2']);
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().error.where.field).toBe('dispositions.0.date');

    const conviction = arrest({ dispositions: [{ outcome: 'convicted', court: 'Dallas County Court', date: today, sentence: '2 years' }] });
    const forbidden = await book(conviction, ['101_2', '102_2']);
    expect(forbidden.statusCode, forbidden.body).toBe(403);
    expect(forbidden.json().error).toMatchObject({ code: 'FORBIDDEN', where: { field: 'dispositions.0.outcome' } });
    expect(await arrestsWithTcn(conviction.tcn)).toBe(0);
    expect((await auditOf(conviction.tcn)).map((r) => r.event)).toEqual(['booking.submitted', 'booking.refused']);
  });

  it('accepts a pending disposition from the booking officer and a court’s conviction from the FBI, both on the rap sheet', async () => {
    const pending = await book(arrest({ dispositions: [{ outcome: 'pending', court: 'Dallas County Court', date: today }] }), ['101_2', '102_2']);
    expect(pending.statusCode, pending.body).toBe(200);
    expect(pending.json().sre.fbiNumber).toBe(fbiNumber);
    const convicted = await book(arrest({ dispositions: [{ outcome: 'convicted', court: 'Dallas County Court', date: today, sentence: '2 years' }] }), ['101_2', '102_2'], 'fbi');
    expect(convicted.statusCode, convicted.body).toBe(200);
    const sheet = (await history(fbiNumber, 'fbi')).json();
    const dispositions = sheet.timeline.filter((e: { kind: string }) => e.kind === 'disposition').map((e: { summary: string }) => e.summary);
    expect(dispositions).toEqual(expect.arrayContaining(['pending (Dallas County Court)', 'convicted (Dallas County Court), 2 years']));
  });
});

describe('bookings: no arrest without its audit record (F8)', () => {
  it('writes no arrest when the gateway cannot audit the submission', async () => {
    const booking = arrest({ name: { family: 'UNAUDITED', given: 'NOT' } });
    await failAuditOf('booking.submitted');
    try {
      const response = await book(booking, ['103_1', '104_1']);
      expect(response.statusCode).toBe(500);
    } finally {
      await failAuditOf(null);
    }
    expect(await arrestsWithTcn(booking.tcn)).toBe(0);
    const [{ n }] = await t.system.databases.criminal!.query<{ n: number }>(`SELECT count(*)::int AS n FROM identities WHERE family = 'UNAUDITED'`);
    expect(Number(n)).toBe(0);
  });

  it('an arrest written when the answer cannot be recorded is on the trail all the same (submitted, then failed with its FBI number); resubmitted, it is answered once', async () => {
    const booking = arrest({ name: { family: 'HALFWAY', given: 'ANSWER' } });
    await failAuditOf('booking.answer');
    try {
      const response = await book(booking, ['105_1', '106_1']);
      expect(response.statusCode).toBe(500);
    } finally {
      await failAuditOf(null);
    }
    expect(await arrestsWithTcn(booking.tcn)).toBe(1);
    const [{ fbi_number: fbiNumber }] = await t.system.databases.criminal!.query<{ fbi_number: string }>('SELECT fbi_number FROM arrests WHERE tcn = $1', [booking.tcn]);
    const trail = await auditOf(booking.tcn);
    expect(trail.map((r) => r.event)).toEqual(['booking.submitted', 'booking.failed']);
    expect(trail[0]).toMatchObject({ user_id: 'client:demo-booking', ori: 'TX0570000', outcome: 'success' });
    expect(trail[1]).toMatchObject({ outcome: 'failure', record_ids: [fbiNumber, 'reason:INTERNAL'] });

    const again = await book(booking, ['105_1', '106_1']);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().sre.fbiNumber).toBe(fbiNumber);
    expect(await arrestsWithTcn(booking.tcn)).toBe(1);
    expect((await auditOf(booking.tcn)).map((r) => r.event)).toEqual(['booking.submitted', 'booking.failed', 'booking.submitted', 'booking.answer']);
  });
});

describe('history over a stored row it cannot read', () => {
  it('answers a typed error naming the arrest, and audits it', async () => {
    const booked = await book(arrest({ name: { family: 'LEGACY', given: 'ROW' } }), ['107_1', '108_1']);
    expect(booked.statusCode, booked.body).toBe(200);
    const { fbiNumber } = booked.json().sre;
    const criminal = t.system.databases.criminal!;
    // As a row stored before the rules and constraints existed would be.
    await criminal.query('ALTER TABLE arrests DROP CONSTRAINT IF EXISTS arrests_dispositions_valid');
    await criminal.query(`UPDATE arrests SET dispositions = '[null]' WHERE fbi_number = $1`, [fbiNumber]);
    const [{ tcn }] = await criminal.query<{ tcn: string }>('SELECT tcn FROM arrests WHERE fbi_number = $1', [fbiNumber]);

    const read = await history(fbiNumber, 'booking');
    expect(read.statusCode).toBe(500);
    expect(read.json().error).toMatchObject({ code: 'RECORD_MALFORMED', where: { fbiNumber, tcn, field: 'dispositions.0' } });
    const [audited] = await t.system.databases.gateway!.query<{ event: string; outcome: string; record_ids: string[] }>(
      `SELECT event, outcome, record_ids FROM audit_log WHERE event = 'history.record_malformed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(audited).toMatchObject({ outcome: 'failure', record_ids: [fbiNumber, `arrest:${tcn}`] });
  });
});
