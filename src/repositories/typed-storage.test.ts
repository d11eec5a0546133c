import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { Database } from '../infra/db/database.ts';
import { migrate } from '../infra/db/migrate.ts';
import { openPgliteDatabase } from '../infra/db/pglite-database.ts';
import { openPostgresDatabase } from '../infra/db/postgres-database.ts';
import { criminalMigrations } from './criminal/migrations.ts';
import { immigrationMigrations } from './immigration/migrations.ts';
import { gatewayMigrations } from '../gateway/migrations.ts';
import { ADMISSION_CLASSES } from './immigration/enrollment-rules.ts';
import { isConcordError } from '../shared/errors.ts';
import { operationalMetrics } from '../gateway/metrics.ts';

/**
 * Typed storage, the second line behind the rules: dates are DATE and instants TIMESTAMPTZ, read
 * back as the strings the code writes; CHECKs refuse what a route forgot to; the migrations
 * convert what older versions stored. On the embedded database, or on DATABASE_URL when set.
 */
const opened: { db: Database; schema?: string }[] = [];
let schemas = 0;

async function freshDatabase(): Promise<Database> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const db = await openPgliteDatabase();
    opened.push({ db });
    return db;
  }
  const schema = `typed_${process.pid}_${Date.now().toString(36)}_${schemas++}`;
  const db = await openPostgresDatabase(url, schema);
  opened.push({ db, schema });
  return db;
}

afterAll(async () => {
  for (const { db, schema } of opened) {
    await db.close();
    if (schema) {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    }
  }
});

async function refusedBy(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (isConcordError(error, 'BAD_REQUEST')) return String(error.where.constraint);
    throw error;
  }
  return 'stored';
}

describe('the criminal repository’s tables', () => {
  it('convert older TEXT dates, keep rows stored before the rules, and read dates back as YYYY-MM-DD', async () => {
    const db = await freshDatabase();
    const before = criminalMigrations.findIndex((sql) => sql.includes('identities_dob_range')); // what an older version had applied
    await migrate(db, criminalMigrations.slice(0, before));
    await db.query(`INSERT INTO subjects (fbi_number) VALUES ('1AB')`);
    await db.query(`INSERT INTO identities (fbi_number, family, given, dob) VALUES ('1AB', 'OLD', 'ROW', '1975-04-30')`);
    await db.query(`INSERT INTO arrests (tcn, fbi_number, date_of_arrest, arresting_ori, charges, dispositions, response) VALUES ('T1', '1AB', '2001-02-03', 'TX0570000', '[{"literal":"THEFT","severity":"misdemeanor"}]', '[null]', '{}')`);
    await migrate(db, criminalMigrations);

    expect(await db.query('SELECT dob FROM identities')).toEqual([{ dob: '1975-04-30' }]);
    // Kept: the history read reports it as malformed rather than the migration losing it.
    expect(await db.query('SELECT date_of_arrest, dispositions FROM arrests')).toEqual([{ date_of_arrest: '2001-02-03', dispositions: [null] }]);
  });

  it('refuse what the arrest rules refuse, should a write get past them', async () => {
    const db = await freshDatabase();
    await migrate(db, criminalMigrations);
    await db.query(`INSERT INTO subjects (fbi_number) VALUES ('2AB')`);
    const arrest = (charges: string, dispositions: string, date = '2026-12-01') =>
      refusedBy(() => db.query(`INSERT INTO arrests (tcn, fbi_number, date_of_arrest, arresting_ori, charges, dispositions, response) VALUES ($1, '2AB', $2, 'TX0570000', $3, $4, '{}')`, [`T${Math.random()}`, date, charges, dispositions]));
    const theft = '[{"literal":"THEFT","severity":"misdemeanor","level":3}]';
    expect(await arrest(theft, '[{"court":"C","date":"2026-12-02","outcome":"convicted","sentence":"2 years"}]')).toBe('stored');
    expect(await arrest(theft, '[null]')).toBe('arrests_dispositions_valid');
    expect(await arrest(theft, '[{"court":"anything","date":"not-a-date","outcome":"convicted"}]')).toBe('arrests_dispositions_valid');
    expect(await arrest(theft, '[{"court":"C","date":"2026-12-02","outcome":"guilty"}]')).toBe('arrests_dispositions_valid');
    expect(await arrest(theft, '{"outcome":"convicted"}')).toBe('arrests_dispositions_valid');
    expect(await arrest('[]', '[]')).toBe('arrests_charges_valid');
    expect(await arrest('[{"literal":"THEFT","severity":"capital"}]', '[]')).toBe('arrests_charges_valid');
    expect(await arrest('[{"severity":"felony"}]', '[]')).toBe('arrests_charges_valid');
    expect(await arrest('[{"literal":"THEFT","severity":"felony","level":7}]', '[]')).toBe('arrests_charges_valid');
    expect(await arrest(theft, '[]', '1850-01-01')).toBe('arrests_date_range');
    await expect(arrest(theft, '[]', 'not-a-date')).rejects.toThrow(); // no DATE at all
    expect(await refusedBy(() => db.query(`INSERT INTO identities (fbi_number, family, given, dob) VALUES ('2AB', 'A', 'B', '1800-01-01')`))).toBe('identities_dob_range');
  });
});

describe('the immigration repository’s tables', () => {
  it('refuse impossible dates, unknown classes and decisions; read dates back as YYYY-MM-DD', async () => {
    const db = await freshDatabase();
    await migrate(db, immigrationMigrations);
    await db.query(`INSERT INTO subjects (fin) VALUES ('FIN1')`);
    const encounter = (inspection: string, admissionClass: string, decision = 'admit', until: string | null = null) =>
      refusedBy(() => db.query(`INSERT INTO encounters (tcn, fin, type, inspection_date, admission_class, decision, admitted_until, response) VALUES ($1, 'FIN1', 'entry', $2, $3, $4, $5, '{}')`, [`T${Math.random()}`, inspection, admissionClass, decision, until]));
    expect(await encounter('2026-12-01', 'B2', 'admit', '2027-06-01')).toBe('stored');
    expect(await encounter('2026-12-01', 'Z'.repeat(300))).toBe('encounters_admission_class_known');
    expect(await encounter('2026-12-01', 'B2', 'wave_through')).toBe('encounters_decision_known');
    expect(await encounter('2026-12-01', 'B2', 'admit', '2026-01-01')).toBe('encounters_dates_in_order');
    expect(await encounter('1899-12-31', 'B2')).toBe('encounters_dates_in_order');
    expect(await db.query(`SELECT inspection_date, admitted_until FROM encounters`)).toEqual([{ inspection_date: '2026-12-01', admitted_until: '2027-06-01' }]);
    expect(await refusedBy(() => db.query(`INSERT INTO flags (fin, kind, since) VALUES ('FIN1', 'suspicious', '2026-12-01')`))).toBe('flags_kind_known');
  });

  it('list in the admission-class CHECK exactly the classes the enrollment rules know', () => {
    const migration = immigrationMigrations.find((sql) => sql.includes('encounters_admission_class_known'))!;
    const listed = migration.slice(migration.indexOf('encounters_admission_class_known')).split('NOT VALID')[0].match(/'([A-Z0-9]+)'/g)!.map((quoted) => quoted.slice(1, -1));
    expect(new Set(listed)).toEqual(new Set(ADMISSION_CLASSES));
  });
});

describe('the gateway’s tables', () => {
  it('convert older TEXT instants to TIMESTAMPTZ, read back exactly as toISOString wrote them', async () => {
    const db = await freshDatabase();
    const before = gatewayMigrations.findIndex((sql) => sql.includes('transactions_status_known'));
    await migrate(db, gatewayMigrations.slice(0, before));
    const written = '2026-12-04T10:11:12.345Z';
    await db.query(`INSERT INTO transactions (tcn, tot, ori, user_id, received_at, answered_at, status) VALUES ('T1', 'booking', 'TX0570000', 'u', $1, $1, 'answered')`, [written]);
    await db.query(`INSERT INTO notifications (kind, to_ori, subject_ref, tcn, payload, sent_at, deadline) VALUES ('idr', 'TX0570000', '1AB', 'T1', '{}', $1, NULL)`, [written]);
    await migrate(db, gatewayMigrations);
    expect(await db.query('SELECT received_at, answered_at FROM transactions')).toEqual([{ received_at: written, answered_at: written }]);
    expect(await db.query('SELECT sent_at, deadline FROM notifications')).toEqual([{ sent_at: written, deadline: null }]);
    // Compared in SQL as instants, not as text.
    expect(await db.query('SELECT tcn FROM transactions WHERE received_at < $1', ['2026-12-04T11:00:00+01:00'])).toEqual([]);
    expect(await refusedBy(() => db.query(`INSERT INTO transactions (tcn, tot, ori, user_id, received_at, status, purpose) VALUES ('T2', 'booking', 'TX0570000', 'u', now(), 'answered', 'Q')`))).toBe('transactions_purpose_known');
    // The metrics group by the day of an instant, now that it is no text to cut.
    const metrics = await operationalMetrics(db, new Date('2026-12-01T00:00:00Z'));
    expect(metrics.perDay).toEqual([{ day: '2026-12-04', tot: 'booking', count: 1 }]);
    expect(metrics.responseTimes).toEqual([{ tot: 'booking', count: 1, p50Ms: 0, p95Ms: 0, p99Ms: 0 }]);
  });
});
