import { ConcordError, isConcordError } from '../shared/errors.ts';
import type { Database, Sql } from '../infra/db/database.ts';
import type { MessageBus } from '../infra/bus/message-bus.ts';
import { AuditWriter, type AuditEvent } from './audit-log.ts';
import type { AuditSigner } from './audit-repair.ts';
import { mayPerform, type Action, type Requester } from './access.ts';
import { grantFor, isPurposeCode, releasesAnything, type Grant, type PurposeCode } from './dissemination-policy.ts';

/** Who caused an audited event: a requester, a caller not (yet) authenticated, or the system itself. */
export type AuditActor = Partial<Pick<Requester, 'userId' | 'ori' | 'client'>>;
export const SYSTEM: AuditActor = { userId: 'system' };

/** An audit event as a workflow states it: the context fills in the component and the actor. */
export type WorkflowEvent = Omit<AuditEvent, 'component' | 'userId' | 'ori' | 'client'>;

/** Errors that are the system's fault, not the request's: audited as failures, not refusals. */
const FAILURE_CODES = new Set(['INTERNAL', 'NODE_UNAVAILABLE', 'BUS_UNAVAILABLE', 'SEARCH_INCOMPLETE', 'STORAGE_UNAVAILABLE', 'SEALED_DATA_CORRUPT', 'DATA_NOT_SEALED', 'KEY_UNKNOWN', 'KEY_FILE_INVALID']);

/**
 * What every gateway workflow shares: the gateway's database, the bus to the repositories, the
 * clock, and the one way each of them authorises a request and audits what it did. Holds no
 * state of its own beyond the audit writer, so any number of gateway processes can serve from
 * one database.
 */
export class WorkflowContext {
  readonly auditWriter: AuditWriter;
  /** Errors whose refusal or failure is already in the audit trail: `recordFailure` does not record them twice. */
  private readonly auditedErrors = new WeakSet<object>();

  constructor(
    readonly db: Database,
    readonly bus: MessageBus,
    readonly now: () => Date,
    /** The key ring: signs audit repair entries and checks them; without it none is made or accepted. */
    readonly auditSigner: AuditSigner | undefined,
  ) {
    this.auditWriter = new AuditWriter(db);
  }

  /** The one way the gateway audits: an event, who caused it (a requester, or the system itself), and optionally the transaction it belongs to. */
  async audit(event: WorkflowEvent, actor: AuditActor, tx?: Sql): Promise<number> {
    const full: AuditEvent = { component: 'gateway', userId: actor.userId, ori: actor.ori, client: actor.client, ...event };
    // On its own, the append is one atomic statement: no transaction needed around it.
    return this.auditWriter.append(full, this.now(), tx);
  }

  /** Audits a refusal; returns the error that tells the requester, for the caller to throw. */
  async refused(requester: Requester, event: Omit<WorkflowEvent, 'outcome'>, error: ConcordError): Promise<ConcordError> {
    await this.audit({ ...event, outcome: 'refused' }, requester);
    return this.audited(error);
  }

  /** Marks an error as already in the audit trail. */
  audited<E>(error: E): E {
    if (typeof error === 'object' && error !== null) this.auditedErrors.add(error);
    return error;
  }

  /** Refusals are audited too: who tried what, on which records (`recordIds`, e.g. the path's identifiers), and why it was refused. */
  async authorize(requester: Requester, action: Action, purpose?: string, recordIds?: string[]): Promise<void> {
    if (mayPerform(requester, action)) return;
    // An administrator reaching for records is flagged for the privacy officer (scenario 21).
    const event = requester.role === 'administrator' ? `privileged.${action.replace('.', '_')}_refused` : `${action}.refused`;
    await this.audit({ event, outcome: 'refused', purpose, recordIds }, requester);
    throw this.audited(new ConcordError('FORBIDDEN', `role ${requester.role} may not ${action.replace('.', ' ')}`, { role: requester.role, action }));
  }

  /** Record requests name their purpose (a III purpose code); one without, or with an unknown one, is refused and audited. */
  async requirePurpose(requester: Requester, requested: string | undefined, refusal: string, subject: string): Promise<PurposeCode> {
    if (isPurposeCode(requested)) return requested;
    // A query value may arrive as a list (a repeated parameter): it is named as text, never handed on raw.
    const purpose = queryText(requested);
    await this.audit({ event: refusal, outcome: 'refused', purpose, recordIds: [subject] }, requester);
    if (!purpose) throw this.audited(new ConcordError('MISSING_PURPOSE', 'a purpose code is required (A, C, D, F, H, I, J, R, S, V, X)', { field: 'purpose' }));
    throw this.audited(new ConcordError('BAD_PURPOSE', `unknown purpose code "${purpose}"`, { field: 'purpose' }));
  }

  /**
   * The requester's grant for a purpose, when it allows what the workflow discloses (by default,
   * anything at all). A purpose the requester may not use (R from anyone but the FBI) releases
   * nothing and is refused here, audited, before any record is looked up: the same answer
   * whatever the identifier asked about.
   */
  async requireGrant(
    requester: Requester,
    purpose: PurposeCode,
    refusal: { event: string; recordIds?: string[]; tcn?: string },
    allows: (grant: Grant) => boolean = releasesAnything,
    what = 'no record',
  ): Promise<Grant> {
    const grant = grantFor(requester, purpose);
    if (allows(grant)) return grant;
    throw await this.refused(requester, { ...refusal, purpose }, new ConcordError('FORBIDDEN', `the dissemination policy releases ${what} to this requester for purpose ${purpose}`, { purpose }));
  }

  /**
   * A refusal or failure no workflow recorded itself (one a repository raised, a duplicate TCN, a
   * record not found, anything unexpected) goes into the audit trail as `<event>.refused` (the
   * request's fault) or `<event>.failed` (ours), with the record ids and the reason code. An
   * error already recorded is not recorded again.
   */
  async recordFailure(requester: Requester, event: string, error: unknown, context: { recordIds?: string[]; purpose?: string; tcn?: string; code?: string } = {}): Promise<void> {
    if (typeof error === 'object' && error !== null && this.auditedErrors.has(error)) return;
    const code = context.code ?? (isConcordError(error) ? error.code : 'INTERNAL');
    const refusal = (isConcordError(error) || context.code !== undefined) && !FAILURE_CODES.has(code);
    const purpose = context.purpose && isPurposeCode(context.purpose) ? context.purpose : undefined;
    // A search of part of a sharded gallery says how much of it answered (search-incomplete:1/2).
    const search = isConcordError(error) && typeof error.where.search === 'string' ? [error.where.search] : [];
    await this.audit({ event: `${event}.${refusal ? 'refused' : 'failed'}`, outcome: refusal ? 'refused' : 'failure', purpose, tcn: context.tcn, recordIds: [...(context.recordIds ?? []), ...search, `reason:${code}`] }, requester);
    this.audited(error);
  }
}

/** A query parameter as text: a repeated one arrives as a list, and is named by its values joined. */
export function queryText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}
