import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestSystem } from '../testing/test-system.ts';
import { alteredRecord, AuditWriter } from '../gateway/audit-log.ts';

/**
 * The audit trail through the API: a repeated query parameter cannot break the chain, a chain a
 * fault broke is repaired by a signed entry without hiding later tampering, searches show the
 * client address, refusals at the role gate name the record asked for, and free text is bounded.
 */
const t = useTestSystem();

const as = (user: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({ method, url, payload, headers: { authorization: `Bearer ${t.tokens[user]}` } });
const sql = (text: string, params: unknown[] = []) => t.system.databases.gateway!.query<Record<string, unknown>>(text, params);
const lastSeq = async () => Number((await sql('SELECT max(seq) AS seq FROM audit_log'))[0].seq);
const verify = async () => (await as('privacy', 'GET', '/v1/audit/verify')).json();

/**
 * The record of request `seq` written again, next in the chain, as the writer before the fix
 * wrote it: the purpose stored as the text "C,J" but hashed as the list ["C","J"] that the
 * repeated query parameter arrived as. Returns its sequence number.
 */
async function writeAsTheOldWriterDid(seq: number): Promise<number> {
  const [row] = await sql('SELECT * FROM audit_log WHERE seq = $1', [seq]);
  const next = seq + 1;
  const content = JSON.stringify([next, row.at, row.component, row.event, row.user_id, row.ori, ['C', 'J'], row.tcn, row.outcome, row.record_ids, row.field_classes, row.client]);
  const hash = createHash('sha256').update(String(row.hash)).update('\n').update(content).digest('hex');
  await sql(
    `INSERT INTO audit_log (seq, at, component, event, user_id, ori, purpose, tcn, outcome, record_ids, field_classes, client, prev_hash, hash)
     SELECT $1, at, component, event, user_id, ori, 'C,J', tcn, outcome, record_ids, field_classes, client, $2, $3 FROM audit_log WHERE seq = $4`,
    [next, row.hash, hash, seq],
  );
  return next;
}

describe('a repeated purpose parameter', () => {
  it('is refused at the edge and audited without the malformed value, so the chain still verifies', async () => {
    const response = await as('booking', 'GET', '/v1/subjects/4100009AB/history?purpose=C&purpose=J');
    expect([response.statusCode, response.json().error.where.field]).toEqual([400, 'purpose']);
    const [record] = await sql('SELECT event, purpose, record_ids FROM audit_log WHERE seq = $1', [await lastSeq()]);
    expect(record).toMatchObject({ event: 'history.refused', purpose: null, record_ids: ['4100009AB', 'reason:BAD_REQUEST'] });
    expect(await verify()).toMatchObject({ ok: true, repaired: [] });
  });
});

describe('repairing a chain a fault broke', () => {
  it('reports the break, covers it with a signed repair, and still reports every later alteration', async () => {
    // The old writer's fault, reproduced: the request audited, then its row stored otherwise than hashed.
    expect((await as('booking', 'GET', '/v1/subjects/4100009AB/history?purpose=C&purpose=J')).statusCode).toBe(400);
    const broken = await writeAsTheOldWriterDid(await lastSeq());
    expect(await verify()).toMatchObject({ ok: false, firstBroken: broken, reason: `record ${broken} was altered`, breaks: [{ seq: broken, reason: `record ${broken} was altered` }] });

    // Only a privacy officer repairs, only a broken record, and every refusal is audited.
    for (const user of ['booking', 'admin']) expect((await as(user, 'POST', '/v1/audit/repairs', { record: broken, cause: 'x' })).statusCode).toBe(403);
    const intact = await as('privacy', 'POST', '/v1/audit/repairs', { record: 1, cause: 'nothing wrong' });
    expect([intact.statusCode, intact.json().error.code]).toEqual([409, 'NOTHING_TO_CORRECT']);
    expect((await as('privacy', 'POST', '/v1/audit/repairs', { record: 'all', cause: 'x' })).statusCode).toBe(400);
    expect((await as('privacy', 'POST', '/v1/audit/repairs', { record: 999_999, cause: 'no such record' })).statusCode).toBe(404);
    const [refusal] = await sql('SELECT event, outcome, record_ids FROM audit_log WHERE seq = $1', [await lastSeq()]);
    expect(refusal).toMatchObject({ event: 'audit.repair_refused', outcome: 'refused', record_ids: ['audit:999999'] });

    const cause = 'purpose stored as text but hashed as a list (repeated query parameter, writer fault F7)';
    const repair = await as('privacy', 'POST', '/v1/audit/repairs', { record: broken, cause });
    expect(repair.statusCode, repair.body).toBe(201);
    const { repairSeq, storedHash, recomputedHash } = repair.json();
    expect(storedHash).not.toBe(recomputedHash);
    const [entry] = await sql('SELECT event, user_id, record_ids FROM audit_log WHERE seq = $1', [repairSeq]);
    expect(entry).toMatchObject({ event: 'audit.repair', user_id: 'client:demo-privacy' });
    expect(entry.record_ids).toEqual([`audit:${broken}`, `stored:${storedHash}`, `recomputed:${recomputedHash}`, `cause:${cause}`, expect.stringMatching(/^signature:hmac-sha256:k1:[0-9a-f]{64}$/)]);
    const again = await as('privacy', 'POST', '/v1/audit/repairs', { record: broken, cause });
    expect([again.statusCode, again.json().error.message]).toEqual([409, `audit record ${broken} was repaired already, by entry ${repairSeq}`]);
    const repaired = [{ seq: broken, reason: `record ${broken} was altered`, repairSeq, cause }];
    expect(await verify()).toMatchObject({ ok: true, repaired });

    // Another record altered after the repair: reported, the repaired one still reported as repaired.
    const later = repairSeq + 1;
    const [{ user_id: original }] = await sql('SELECT user_id FROM audit_log WHERE seq = $1', [later]);
    await sql(`UPDATE audit_log SET user_id = 'someone-else' WHERE seq = $1`, [later]);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: later, breaks: [{ seq: later, reason: `record ${later} was altered` }], repaired });
    await sql(`UPDATE audit_log SET user_id = $2 WHERE seq = $1`, [later, original]);
    expect(await verify()).toMatchObject({ ok: true, repaired });

    // The repaired record altered again: the repair no longer covers it.
    await sql(`UPDATE audit_log SET purpose = 'C' WHERE seq = $1`, [broken]);
    expect(await verify()).toMatchObject({ ok: false, firstBroken: broken, reason: `record ${broken} was altered since its repair (record ${repairSeq})`, repaired: [] });
    await sql(`UPDATE audit_log SET purpose = 'C,J' WHERE seq = $1`, [broken]);

    // A repair entry forged by someone with write access to the database, chained but not signed with the gateway's key: it covers nothing and is reported.
    await sql(`UPDATE audit_log SET user_id = 'someone-else' WHERE seq = $1`, [later]);
    const target = (await alteredRecord(t.system.databases.gateway!, later))!;
    const forger = new AuditWriter(t.system.databases.gateway!);
    const ids = [`audit:${later}`, `stored:${target.storedHash}`, `recomputed:${target.recomputedHash}`, 'cause:nothing to see', `signature:hmac-sha256:k1:${'0'.repeat(64)}`];
    const forged = await forger.append({ component: 'gateway', event: 'audit.repair', outcome: 'success', userId: 'privacy', recordIds: ids });
    await forger.close();
    expect(await verify()).toMatchObject({
      ok: false,
      breaks: [
        { seq: later, reason: `record ${later} was altered` },
        { seq: forged, reason: `record ${forged} is a repair entry whose signature does not hold` },
      ],
      repaired,
    });
  });
});

describe('the audit search and the role gate', () => {
  it('returns the client address of each entry and filters by it', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: 'Bearer not-a-token' }, remoteAddress: '198.51.100.7' })).statusCode).toBe(401);
    const entries = (await as('privacy', 'GET', '/v1/audit?client=198.51.100.7')).json();
    expect(entries).toEqual([expect.objectContaining({ event: 'logon', outcome: 'failure', client: '198.51.100.7' })]);
    // The newest record: the privacy officer's search just made, from the test client's address.
    expect((await as('privacy', 'GET', '/v1/audit?limit=1')).json()).toEqual([expect.objectContaining({ event: 'audit.search', client: '127.0.0.1' })]);
  });

  it('names the subject asked for in a refusal at the role gate', async () => {
    expect((await as('field', 'GET', '/v1/subjects/4100009AB/history?purpose=C')).statusCode).toBe(403);
    const [record] = await sql('SELECT event, record_ids FROM audit_log WHERE seq = $1', [await lastSeq()]);
    expect(record).toEqual({ event: 'history.refused', record_ids: ['4100009AB'] });
  });
});

describe('free text in the audit trail', () => {
  it('refuses a 900 KB or bidi-laden sign-in user name at the edge, writing nothing to the trail (bounding itself: audit-record.test.ts)', async () => {
    const before = await lastSeq();
    const huge = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user: 'U'.repeat(900_000), password: 'p', code: '123456' } });
    expect([huge.statusCode, huge.json().error.code]).toEqual([400, 'BAD_REQUEST']);
    const bidi = await t.app.inject({ method: 'POST', url: '/auth/sign-in', payload: { user: 'admin\u202egnp.exe', password: 'p', code: '123456' } });
    expect([bidi.statusCode, bidi.json().error.code]).toEqual([400, 'BAD_REQUEST']);
    expect(await lastSeq()).toBe(before);
    const search = await as('privacy', 'GET', '/v1/audit?limit=5');
    expect(search.body.length).toBeLessThan(5_000);
  });
});
