import { normaliseAuditEvent, TEXT_BOUND, textList, type AuditContent } from './audit-record.ts';
import type { AuditEvent } from './audit-log.ts';

/**
 * Repair entries: how a chain broken by a fault (not by tampering) is made verifiable again
 * without rewriting it. A privacy officer appends a record naming the broken record, the hash it
 * stores, the hash recomputed from its stored row, and the cause; the gateway signs it with a key
 * kept outside the database. Verification then reports that break as repaired and goes on; it
 * holds only while the broken row still hashes to what the repair recorded, so a record altered
 * again afterwards shows as altered.
 */
export const REPAIR_EVENT = 'audit.repair';
/** What the signature is for: keys derived for it serve nothing else. */
const SIGNATURE_CONTEXT = 'audit repair';

/** Signs and checks repair entries: the key ring does (an HMAC under a key outside the database). */
export interface AuditSigner {
  mac(context: string, data: string): { keyId: string; code: string };
  checkMac(context: string, keyId: string, data: string, code: string): boolean;
}

/** A break a repair covers: a record whose stored hash is not the one its stored content gives. */
export interface RepairTarget {
  seq: number;
  storedHash: string;
  recomputedHash: string;
}

/** A repair entry as read back from the chain. */
export interface RepairEntry extends RepairTarget {
  /** The repair's own sequence number. */
  repairSeq: number;
  cause: string;
  signed: boolean;
}

const SIGNATURE = /^signature:hmac-sha256:([A-Za-z0-9_-]{1,32}):([0-9a-f]{64})$/;

/** What is signed: the repair's time, who made it and its entries, as stored. */
function signedContent(at: string, userId: string | null, entries: readonly string[]): string {
  return JSON.stringify([REPAIR_EVENT, at, userId, ...entries]);
}

/**
 * The repair entry for `target`, signed, to be appended with the time `at` it was signed for.
 * Its record ids are normalised first (as the writer will store them, which changes them no
 * further), so the signature covers exactly what is stored.
 */
export function signedRepair(target: RepairTarget, cause: string, by: { userId: string; ori?: string; client?: string }, at: Date, signer: AuditSigner): AuditEvent {
  const entries = textList([`audit:${target.seq}`, `stored:${target.storedHash}`, `recomputed:${target.recomputedHash}`, `cause:${cause}`], TEXT_BOUND);
  const event = { component: 'gateway', event: REPAIR_EVENT, outcome: 'success' as const, userId: by.userId, ori: by.ori, client: by.client };
  const stored = normaliseAuditEvent(event, 0, at);
  const { keyId, code } = signer.mac(SIGNATURE_CONTEXT, signedContent(stored.at, stored.user_id, entries));
  return { ...event, recordIds: [...entries, `signature:hmac-sha256:${keyId}:${code}`] };
}

/**
 * Reads a repair entry from a stored record; undefined if it is not one or is malformed.
 * `signed` says whether its signature holds (never, without a signer to check it).
 */
export function readRepair(row: AuditContent, signer: AuditSigner | undefined): RepairEntry | undefined {
  if (row.event !== REPAIR_EVENT || !Array.isArray(row.record_ids) || row.record_ids.length !== 5) return undefined;
  const [audit, stored, recomputed, cause, signature] = row.record_ids;
  const seq = /^audit:(\d{1,15})$/.exec(audit)?.[1];
  const storedHash = /^stored:([0-9a-f]{64})$/.exec(stored)?.[1];
  const recomputedHash = /^recomputed:([0-9a-f]{64})$/.exec(recomputed)?.[1];
  const mac = SIGNATURE.exec(signature);
  if (!seq || !storedHash || !recomputedHash || !cause.startsWith('cause:') || !mac) return undefined;
  const signed = !!signer && signer.checkMac(SIGNATURE_CONTEXT, mac[1], signedContent(row.at, row.user_id, row.record_ids.slice(0, 4)), mac[2]);
  return { repairSeq: Number(row.seq), seq: Number(seq), storedHash, recomputedHash, cause: cause.slice('cause:'.length), signed };
}
