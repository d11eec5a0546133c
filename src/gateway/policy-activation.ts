import { createHash } from 'node:crypto';
import type { Database } from '../infra/db/database.ts';
import { AuditWriter } from './audit-log.ts';

/**
 * A change to the dissemination policy is itself audited: at start the gateway fingerprints the
 * policy it runs (version and a hash of its rules) and, when that differs from the last one the
 * audit trail recorded, appends a `policy.activate` record naming the old and the new.
 */
export async function recordPolicyActivation(db: Database, writer: AuditWriter, version: string, rules: unknown, now: Date): Promise<boolean> {
  const fingerprint = `sha256:${createHash('sha256').update(JSON.stringify(rules)).digest('hex')}`;
  const [last] = await db.query<{ record_ids: string[] }>(`SELECT record_ids FROM audit_log WHERE event = 'policy.activate' ORDER BY seq DESC LIMIT 1`);
  if (last && last.record_ids[0] === version && last.record_ids[1] === fingerprint) return false;
  const replaces = last ? `replaces ${last.record_ids[0]} ${last.record_ids[1]}` : 'first policy';
  await writer.append({ component: 'gateway', event: 'policy.activate', outcome: 'success', userId: 'system', recordIds: [version, fingerprint, replaces] }, now);
  return true;
}
