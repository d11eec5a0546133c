import { createHash, randomUUID } from 'node:crypto';
import { noteTcn } from '../shared/request-context.ts';
import { ConcordError, errorCode, isConcordError } from '../shared/errors.ts';
import type { FingerprintTemplate, Minutia } from '../biometrics/template.ts';
import { decodeTemplate } from '../biometrics/template-codec.ts';
import { explainComparison } from '../biometrics/matching/compare-templates.ts';
import { prepareTemplate } from '../biometrics/matching/prepared-template.ts';
import { fmrForScore } from '../biometrics/matching/calibration.ts';
import type { StoredSample } from '../repositories/shared/stored-sample.ts';
import type { SubjectMatch } from '../repositories/shared/identification.ts';
import { incompleteSearch, SEARCH_RETRY_AFTER_SECONDS } from '../repositories/shared/node-gallery.ts';
import type { ReextractionReport } from '../repositories/shared/reextract-templates.ts';
import type { Database, Sql } from '../infra/db/database.ts';
import type { MessageBus } from '../infra/bus/message-bus.ts';
import type { FingerPayload } from '../repositories/shared/fingerprint-payload.ts';
import type { EnrollmentRequest, EnrollmentResult, ImmigrationHistory, ImmigrationSearchResult } from '../repositories/immigration/immigration-node.ts';
import type { BookingRequest, BookingResult, CriminalHistory, CriminalIdentification, Disposition, DispositionReport, WantedEntry, WantedSummary } from '../repositories/criminal/criminal-node.ts';
import { alteredRecord, AuditWriter, repairOf, searchAudit, verifyAuditChain, type AuditEntry, type AuditEvent, type AuditFilter, type ChainVerdict } from './audit-log.ts';
import { signedRepair, type AuditSigner, type RepairTarget } from './audit-repair.ts';
import { USER_ID } from './audit-record.ts';
import { deactivateUser, listAgencies, listUsers, mayPerform, registerAgency, registerUser, type AccountStatus, type Action, type AgencyType, type Requester, type Role, type UserSummary } from './access.ts';
import { grantFor, isPurposeCode, opensCriminal, opensImmigration, POLICY, POLICY_VERSION, releasesAnything, type Grant, type ImmigrationGrant, type PurposeCode } from './dissemination-policy.ts';
import { recordPolicyActivation } from './policy-activation.ts';
import { buildOneStopHistory, type OneStopHistory } from './one-stop-history.ts';
import { rapidAnswer, type IdentifyAnswer } from './rapid-identification.ts';
import { migrate } from '../infra/db/migrate.ts';
import { authenticateClient, authenticateSystemToken, deactivateClient, isSystem, looksLikeJwt, registerClient } from './client-credentials.ts';
import { approvalRefusal, needsSecondApprover, type Approver } from './account-approval.ts';
import { operationalMetrics, type OperationalMetrics } from './metrics.ts';
import { caseById, claimCase, listCases, openCase, recipientsOf, releaseCase, recordDecision, REDRESS_KINDS, type RedressCase, type RedressKind, type Repository } from './redress.ts';
import { endSession, resumeSession, SESSION_TOKEN_PREFIX, setCredentials, signIn, type SignInResult } from './sign-in.ts';
import { gatewayMigrations } from './migrations.ts';
import { criminalHistoryReceived, recordDissemination, searchDisseminations, type DisseminationMethod, type SecondaryDissemination } from './secondary-dissemination.ts';

/** ICE's Law Enforcement Support Center: where booking matches become cases (IAQ). */
export const LESC_ORI = 'VTICE0900';
/** What a history by prints names in its audit records until the prints name someone. */
const PRINTS = 'prints';
/** Where unanswered hit confirmations are escalated: the FBI CJIS control terminal. */
export const CONTROL_TERMINAL_ORI = 'DCFBI0000';
const HIT_CONFIRMATION_KINDS = ['hit_confirmation', 'hit_confirmation_second', 'hit_confirmation_escalated'];
const HIT_CONFIRMATION_URGENT_MS = 10 * 60 * 1000;
/**
 * A claimed TCN still unanswered after this long belongs to a process that died: another
 * submission may take it over. Far beyond any workflow's time (seconds), bus timeouts included.
 */
const STALE_CLAIM_MS = 10 * 60 * 1000;
/** Errors that are the system's fault, not the request's: audited as failures, not refusals. */
const FAILURE_CODES = new Set(['INTERNAL', 'NODE_UNAVAILABLE', 'SEARCH_INCOMPLETE', 'STORAGE_UNAVAILABLE', 'SEALED_DATA_CORRUPT', 'DATA_NOT_SEALED', 'KEY_UNKNOWN', 'KEY_FILE_INVALID']);

export interface BookingAnswer {
  tcn: string;
  tcr: string;
  sre: { srf: 'I' | 'N'; fbiNumber: string };
  wanted: WantedSummary[];
  criminalHistory?: OneStopHistory;
  immigration: {
    /** WITHHELD: the purpose's grant releases no immigration data, not even whether there is any. */
    status: 'MATCH' | 'NO_MATCH' | 'PENDING' | 'WITHHELD';
    message: string;
    knownToDhs?: boolean;
    fin?: string;
    statusClass?: string;
    flags?: string[];
    iceNotified?: boolean;
    iceContact?: string;
  };
  withheld: boolean;
  policyVersion: string;
}

/** A one-stop history as answered: the subject asked about, the purpose, and the policy that filtered it. */
export type SubjectHistory = OneStopHistory & { subject: string; purpose: PurposeCode; policyVersion: string };

export type { IdentifyAnswer } from './rapid-identification.ts';

export interface Alert {
  id: number;
  kind: string;
  subjectRef: string;
  tcn: string;
  payload: unknown;
  sentAt: string;
  deadline?: string;
  /** new, acknowledged, overdue (a deadline passed unanswered), confirmed or not_confirmed. */
  state: string;
}

/** How long each kind of record is kept (domain brief 7.3; configurable). */
export interface RetentionRules {
  immigrationYears: number;
  /** Criminal records are kept until the subject would be this old. */
  criminalAgeYears: number;
  auditYears: number;
}

export const DEFAULT_RETENTION: RetentionRules = { immigrationYears: 75, criminalAgeYears: 110, auditYears: 7 };

/** Who caused an audited event: a requester, a caller not (yet) authenticated, or the system itself. */
type AuditActor = Partial<Pick<Requester, 'userId' | 'ori' | 'client'>>;
const SYSTEM: AuditActor = { userId: 'system' };

export interface RetentionReport {
  at: string;
  immigration: { samples: number; encounters: number; subjects: number };
  criminal: { subjects: number };
  auditRecords: number;
  transactions: number;
  notifications: number;
  secondaryDisseminations: number;
}

export interface CandidateComparison {
  score: number;
  fmr: number;
  /** Paired minutiae: [index in the probe's minutiae, index in the candidate's]. */
  pairs: [number, number][];
  /** The stored print, for a grant that shows it (full, or match images); absent for match results only. */
  candidate?: { width: number; height: number; minutiae: Minutia[]; wsq: string | null };
}

export interface EnrollmentAnswer extends EnrollmentResult {
  tcr: string;
  hitConfirmationRequests: { toOri: string; warrantNo: string; deadline: string }[];
}

/**
 * The justice-department broker: authenticates and authorises every request, fans it out to the
 * repositories over the bus, merges and filters the answers, and writes the audit record and the
 * transaction record in one database transaction before anything is returned.
 */
export class Gateway {
  private readonly auditWriter: AuditWriter;
  /** Errors whose refusal or failure is already in the audit trail: `recordFailure` does not record them twice. */
  private readonly auditedErrors = new WeakSet<object>();

  private constructor(
    private readonly db: Database,
    private readonly bus: MessageBus,
    private readonly now: () => Date,
    private readonly auditSigner: AuditSigner | undefined,
  ) {
    this.auditWriter = new AuditWriter(db);
  }

  /** `auditSigner` (the key ring) signs audit repair entries and checks them; without it none is made or accepted. */
  static async start(db: Database, bus: MessageBus, options: { now?: () => Date; auditSigner?: AuditSigner } = {}): Promise<Gateway> {
    await migrate(db, gatewayMigrations);
    const gateway = new Gateway(db, bus, options.now ?? (() => new Date()), options.auditSigner);
    await recordPolicyActivation(db, gateway.auditWriter, POLICY_VERSION, POLICY, gateway.now());
    await bus.consume('booking.immigration-result', 'gateway-bookings', (event: { tcn: string; ori?: string; result: ImmigrationSearchResult }) =>
      gateway.completeBooking(event.tcn, event.ori, event.result),
    );
    return gateway;
  }

  get database(): Database {
    return this.db;
  }

  /** Brings the audit chain's head witness up to the last record; the database stays open. */
  async close(): Promise<void> {
    await this.auditWriter.close();
  }

  /** A person's session opened by `signIn`, or a registered system's signed assertion or API token. */
  async authenticate(token: string | undefined, client?: string): Promise<Requester> {
    let requester: Requester | undefined;
    try {
      // Each kind of credential is looked up where it lives, once.
      if (token?.startsWith(SESSION_TOKEN_PREFIX)) requester = await resumeSession(this.db, token, this.now());
      else if (token && looksLikeJwt(token)) requester = await authenticateClient(this.db, token, this.now());
      else if (token) requester = await authenticateSystemToken(this.db, token, this.now());
    } catch (error) {
      await this.audit({ event: errorCode(error) === 'TOKEN_EXPIRED' ? 'logon.token_expired' : 'session.locked', outcome: 'refused' }, { client });
      throw error;
    }
    if (!requester) {
      await this.audit({ event: 'logon', outcome: 'failure' }, { client });
      throw new ConcordError('UNAUTHENTICATED', token ? 'the API token is not valid' : 'an API token is required (Authorization: Bearer ...)');
    }
    return { ...requester, client };
  }

  /** A client address that presented too many bad credentials is refused for a while: recorded once, when it starts. */
  async recordThrottled(client: string): Promise<void> {
    await this.audit({ event: 'logon.throttled', outcome: 'refused' }, { client });
  }

  /**
   * Password and one-time code to a session token; success and failure are audited, the secrets
   * never. So are the older sessions a sign-in ends, and a lock of the (account, address) pair.
   */
  async signIn(attempt: { user: string; password: string; code: string }, client?: string): Promise<SignInResult> {
    let outcome;
    try {
      // Not the shape of a user id: refused like a wrong password, before any lookup; audited bounded.
      outcome = USER_ID.test(attempt.user)
        ? await signIn(this.db, attempt, client, this.now())
        : { ok: false as const, error: new ConcordError('SIGN_IN_FAILED', 'user, password or one-time code is not right', {}) };
    } catch (error) {
      await this.audit({ event: 'sign_in.INTERNAL', outcome: 'failure' }, { userId: attempt.user, client });
      throw error;
    }
    if (outcome.ok) {
      const actor = { ...outcome.result.requester, client };
      await this.audit({ event: 'sign_in', outcome: 'success' }, actor);
      if (outcome.endedSessions > 0) await this.audit({ event: 'session.superseded', outcome: 'success', recordIds: [actor.userId, `${outcome.endedSessions} older session(s) ended`] }, actor);
      return outcome.result;
    }
    await this.audit({ event: `sign_in.${outcome.error.code}`, outcome: 'failure' }, { userId: attempt.user, client });
    if (outcome.lock) {
      await this.audit({ event: 'account.locked', outcome: 'refused', recordIds: [attempt.user, `until ${outcome.lock.until}`, `${outcome.lock.endedSessions} session(s) ended`] }, { userId: attempt.user, client });
    }
    throw outcome.error;
  }

  async signOut(requester: Requester, token: string): Promise<void> {
    await endSession(this.db, token);
    await this.audit({ event: 'sign_out', outcome: 'success' }, requester);
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
  private async requirePurpose(requester: Requester, requested: string | undefined, refusal: string, subject: string): Promise<PurposeCode> {
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
  private async requireGrant(
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

  /** Marks an error as already in the audit trail. */
  private audited<E>(error: E): E {
    if (typeof error === 'object' && error !== null) this.auditedErrors.add(error);
    return error;
  }

  /**
   * A submission refused before any workflow ran (an EBTS file answered with ERRT): who sent it,
   * under which TCN, and why — the event names the first error code, e.g. `ebts.refused.MISSING_FIELD`.
   */
  async recordRefusal(requester: Requester, kind: string, tcn: string | undefined, code: string): Promise<void> {
    await this.audit({ event: `${kind}.refused.${code}`, outcome: 'refused', tcn }, requester);
  }

  /** The one way the gateway audits: an event, who caused it (a requester, or the system itself), and optionally the transaction it belongs to. */
  private async audit(event: Omit<AuditEvent, 'component' | 'userId' | 'ori' | 'client'>, actor: AuditActor, tx?: Sql): Promise<number> {
    const full: AuditEvent = { component: 'gateway', userId: actor.userId, ori: actor.ori, client: actor.client, ...event };
    // On its own, the append is one atomic statement: no transaction needed around it.
    return this.auditWriter.append(full, this.now(), tx);
  }

  /** Audits a refusal; returns the error that tells the requester, for the caller to throw. */
  private async refused(requester: Requester, event: Omit<AuditEvent, 'component' | 'userId' | 'ori' | 'client' | 'outcome'>, error: ConcordError): Promise<ConcordError> {
    await this.audit({ ...event, outcome: 'refused' }, requester);
    return this.audited(error);
  }

  /**
   * Runs a transaction once per TCN of the requester's agency (ORI + TCN: another agency's TCN of
   * the same spelling is another transaction): a resubmission of the same request gets the stored
   * answer back (same TCR) and creates nothing; the same TCN with a different request (`content`,
   * kept as a digest) is refused as a duplicate, never answered with the first one's answer. The
   * TCN is claimed before any work starts, so two submissions racing with one new TCN cannot
   * both run it: the second is told the first is in progress. A claim whose work
   * fails is released for a retry; one left by a crashed process is taken over once stale, and
   * the process that lost it can then neither answer nor release it. The answer, its audit record
   * and its notifications commit together.
   */
  private async once<T>(
    requester: Requester,
    tcn: string,
    tot: string,
    purpose: string | undefined,
    content: unknown,
    work: () => Promise<{ answer: T; audit: Omit<AuditEvent, 'component' | 'userId' | 'ori' | 'client' | 'tcn' | 'purpose'>; alsoInTransaction?: (tx: Sql) => Promise<void> }>,
    /** Records the work wrote before it failed (an arrest's FBI number), named in the failure's audit record. */
    writtenBeforeFailure: () => string[] = () => [],
  ): Promise<T> {
    if (!tcn || typeof tcn !== 'string' || tcn.length > 40) throw new ConcordError('BAD_TCN', 'a transaction control number (tcn, at most 40 characters) is required', { field: 'tcn' });
    noteTcn(tcn);
    const digest = createHash('sha256').update(JSON.stringify({ tot, purpose, content })).digest('hex');
    // A refusal or failure is audited under the transaction's kind with its TCN (a duplicate TCN, a repository's refusal, a 500).
    const failed = async (error: unknown) => {
      await this.recordFailure(requester, tot, error, { tcn, purpose, recordIds: writtenBeforeFailure() });
      return error;
    };
    const claim = await this.claimTcn(requester, tcn, tot, purpose, digest).catch(async (error: unknown) => {
      throw await failed(error);
    });
    if ('response' in claim) {
      await this.audit({ event: `${tot}.repeat`, outcome: 'success', tcn, purpose }, requester);
      return claim.response as T;
    }
    try {
      const { answer, audit, alsoInTransaction } = await work();
      await this.db.transaction(async (tx) => {
        const answered = await tx.query(
          `UPDATE transactions SET status = 'answered', answered_at = $3, response = $4 WHERE ori = $5 AND tcn = $1 AND status = 'pending' AND claim = $2 RETURNING tcn`,
          [tcn, claim.owner, this.now().toISOString(), JSON.stringify(answer), requester.ori],
        );
        if (answered.length === 0) throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} was taken over by another submission while it ran; ask again for its answer`, { tcn });
        await alsoInTransaction?.(tx);
        await this.audit({ ...audit, tcn, purpose }, requester, tx);
      });
      return answer;
    } catch (error) {
      await this.db.query(`DELETE FROM transactions WHERE ori = $3 AND tcn = $1 AND status = 'pending' AND claim = $2`, [tcn, claim.owner, requester.ori]);
      throw await failed(error);
    }
  }

  /**
   * Claims a TCN for this requester: `owner` names a fresh claim (or a stale one taken over);
   * `response` is the stored answer when the TCN was already answered for them.
   */
  private async claimTcn(requester: Requester, tcn: string, tot: string, purpose: string | undefined, digest: string): Promise<{ owner: string } | { response: unknown }> {
    const owner = randomUUID();
    const receivedAt = this.now().toISOString();
    // Twice at most: a claim released between our insert and our read leaves the TCN free again.
    for (let attempt = 0; attempt < 2; attempt++) {
      const claimed = await this.db.query(
        `INSERT INTO transactions (tcn, tot, ori, user_id, purpose, received_at, status, claim, digest) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (ori, tcn) DO NOTHING RETURNING tcn`,
        [tcn, tot, requester.ori, requester.userId, purpose ?? null, receivedAt, owner, digest],
      );
      if (claimed.length > 0) return { owner };
      const [stored] = await this.db.query<{ response: unknown; tot: string; user_id: string; status: string; received_at: string; claim: string | null; digest: string | null }>(
        'SELECT response, tot, user_id, status, received_at, claim, digest FROM transactions WHERE ori = $1 AND tcn = $2',
        [requester.ori, tcn],
      );
      if (!stored) continue;
      // A repeat gets its answer back only from the same sender, for the same request (transactions stored before digests were kept have none).
      if (stored.tot !== tot || stored.user_id !== requester.userId || (stored.digest !== null && stored.digest !== digest)) {
        throw new ConcordError('DUPLICATE_TCN', `TCN ${tcn} was already used for another request of agency ${requester.ori}; a new request needs a new TCN`, { tcn });
      }
      if (stored.status !== 'pending') return { response: stored.response }; // answered, or completed later
      const stale = Date.parse(stored.received_at) < Date.parse(receivedAt) - STALE_CLAIM_MS;
      const taken = stale && (await this.db.query(`UPDATE transactions SET received_at = $2, claim = $3 WHERE ori = $5 AND tcn = $1 AND status = 'pending' AND claim IS NOT DISTINCT FROM $4 RETURNING tcn`, [tcn, receivedAt, owner, stored.claim, requester.ori])).length > 0;
      if (taken) return { owner };
      break;
    }
    throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} is being processed; ask again for its answer in a moment`, { tcn });
  }

  async enroll(requester: Requester, request: Omit<EnrollmentRequest, 'officer' | 'ori'>): Promise<EnrollmentAnswer> {
    await this.authorize(requester, 'enroll');
    return this.once(requester, request.tcn, 'encounter', undefined, request, async () => {
      const result = await this.bus.request<EnrollmentResult>('immigration.enroll', { ...request, officer: requester.userId, ori: requester.ori }).catch(async (error: unknown) => {
        // Refused by the repository's rules (an impossible date, an unknown class): audited too.
        await this.audit({ event: `encounter.refused.${errorCode(error) || 'INTERNAL'}`, outcome: 'refused', tcn: request.tcn }, requester).catch(() => undefined);
        throw this.audited(error);
      });
      const deadline = new Date(this.now().getTime() + HIT_CONFIRMATION_URGENT_MS).toISOString();
      const wantedHits = result.hits.filter((h) => h.kind === 'wanted');
      const answer: EnrollmentAnswer = {
        ...result,
        tcr: request.tcn,
        hitConfirmationRequests: wantedHits.map((h) => ({ toOri: String(h.detail.ori), warrantNo: String(h.detail.warrantNo), deadline })),
      };
      return {
        answer,
        audit: {
          event: 'encounter.enroll',
          outcome: 'success',
          recordIds: [result.fin, `encounter:${result.encounterId}`, ...wantedHits.map((h) => String(h.detail.wantedId))].filter((x): x is string => !!x),
          fieldClasses: ['immigration', ...(wantedHits.length ? ['wanted'] : [])],
        },
        alsoInTransaction: async (tx) => {
          for (const hit of wantedHits) {
            await this.notify(tx, 'hit_confirmation', String(hit.detail.ori), String(hit.detail.fbiNumber), request.tcn, { ...hit.detail, port: request.port, fin: result.fin, urgent: true }, deadline);
            if (result.fin) await this.link(tx, String(hit.detail.fbiNumber), result.fin, request.tcn);
          }
        },
      };
    });
  }

  async book(requester: Requester, request: { tcn: string; purpose?: string; arrest: BookingRequest['arrest']; fingers: FingerPayload[] }): Promise<BookingAnswer> {
    const purpose = await this.requirePurpose(requester, request.purpose ?? 'C', 'booking.refused', request.tcn);
    await this.authorize(requester, 'book', purpose);
    // Refused before the booking runs: nothing is searched or recorded for a purpose that releases nothing.
    const grant = await this.requireGrant(requester, purpose, { event: 'booking.refused', tcn: request.tcn });
    // No arrest without its audit record. The arrest is written in the criminal node's database,
    // which no gateway transaction can span, so the submission (TCN, ORI, user) is audited here
    // before the node is asked to write: if that audit fails, nothing is written; whatever fails
    // after the write (a bus timeout, the answer's own transaction), the arrest is already on the
    // trail under its TCN, and the failure is audited after it with the FBI number.
    let written: string | undefined;
    return this.once(requester, request.tcn, 'booking', purpose, { arrest: request.arrest, fingers: request.fingers }, async () => {
      await this.audit({ event: 'booking.submitted', outcome: 'success', tcn: request.tcn, purpose }, requester);
      const booking = await this.bus.request<BookingResult>('criminal.book', {
        tcn: request.tcn,
        ori: requester.ori,
        reportsDispositions: mayPerform(requester, 'disposition.report'),
        arrest: request.arrest,
        fingers: request.fingers,
      } satisfies BookingRequest);
      written = booking.fbiNumber;
      let immigration: ImmigrationSearchResult | undefined;
      try {
        immigration = await this.bus.request<ImmigrationSearchResult>('immigration.search', { fingers: request.fingers }, 5000);
      } catch (error) {
        if (!(error instanceof ConcordError && error.code === 'NODE_UNAVAILABLE')) throw error;
        // The immigration node is down: the check waits on the bus and completes when it returns.
        await this.bus.publish('booking.immigration-check', { tcn: request.tcn, ori: requester.ori, fingers: request.fingers });
      }
      const criminalHistory = await this.bus.request<CriminalHistory>('criminal.history', { fbiNumber: booking.fbiNumber });
      const history = buildOneStopHistory({ ...grant, immigration: 'none' }, criminalHistory);
      const answer: BookingAnswer = {
        tcn: request.tcn,
        tcr: request.tcn,
        sre: { srf: booking.srf, fbiNumber: booking.fbiNumber },
        wanted: grant.wanted ? booking.wanted : [],
        criminalHistory: grant.criminalHistory === 'none' ? undefined : history,
        immigration: immigrationPart(immigration, grant.immigration),
        withheld: history.withheld || grant.immigration === 'none' || (!!immigration?.match && grant.immigration !== 'full'),
        policyVersion: POLICY_VERSION,
      };
      return {
        answer,
        audit: {
          event: 'booking.answer',
          outcome: 'success',
          recordIds: [booking.fbiNumber, ...(immigration?.fin ? [immigration.fin] : [])],
          fieldClasses: [...history.fieldClasses, ...(immigration?.match && opensImmigration(grant) ? ['immigration_summary'] : [])],
        },
        alsoInTransaction: async (tx) => {
          if (immigration?.match && immigration.fin) await this.onImmigrationMatch(tx, request.tcn, booking.fbiNumber, immigration, requester.ori);
        },
      };
    }, () => (written ? [written] : []));
  }

  /**
   * A court's disposition of an arrest, recorded on the rap sheet by a requester who may report
   * dispositions. Audited before the criminal node writes it, as a booking is.
   */
  async reportDisposition(requester: Requester, report: { fbiNumber: string; arrestTcn: string; disposition: Disposition }): Promise<{ fbiNumber: string; arrestTcn: string; dispositions: number }> {
    await this.authorize(requester, 'disposition.report');
    const recordIds = [report.fbiNumber, `arrest:${report.arrestTcn}`];
    await this.audit({ event: 'disposition.submitted', outcome: 'success', recordIds, fieldClasses: ['criminal_history'] }, requester);
    let recorded: { fbiNumber: string; arrestTcn: string; dispositions: number };
    try {
      recorded = await this.bus.request('criminal.disposition', { ...report, reportsDispositions: true } satisfies DispositionReport);
    } catch (error) {
      await this.audit({ event: `disposition.refused.${errorCode(error) || 'INTERNAL'}`, outcome: 'refused', recordIds }, requester).catch(() => undefined);
      throw this.audited(error);
    }
    await this.audit({ event: 'disposition.record', outcome: 'success', recordIds, fieldClasses: ['criminal_history'] }, requester);
    return recorded;
  }

  /** The delayed immigration part of a booking whose check waited for the immigration node. */
  private async completeBooking(tcn: string, bookingOri: string | undefined, result: ImmigrationSearchResult): Promise<void> {
    await this.db.transaction(async (tx) => {
      // A check published before TCNs were kept per agency names no ORI: then the TCN alone finds it.
      const [row] = await tx.query<{ response: BookingAnswer | null; ori: string; user_id: string; status: string }>(
        `SELECT response, ori, user_id, status FROM transactions WHERE tcn = $1 AND ($2::text IS NULL OR ori = $2) AND tot = 'booking' FOR UPDATE`,
        [tcn, bookingOri ?? null],
      );
      // The booking is still being answered: throwing has the bus deliver the result again shortly.
      if (row?.status === 'pending') throw new ConcordError('TCN_IN_PROGRESS', `booking ${tcn} is not answered yet`, { tcn });
      if (!row?.response || row.status === 'completed') return;
      // A booking whose grant withholds immigration data still opens the ICE case; the agency is told nothing more.
      const withheld = row.response.immigration.status === 'WITHHELD';
      if (!withheld && row.response.immigration.status !== 'PENDING') return;
      const response: BookingAnswer = withheld ? row.response : { ...row.response, immigration: immigrationPart(result, 'idr_summary') };
      await tx.query(`UPDATE transactions SET response = $1, status = 'completed' WHERE tcn = $2 AND ori = $3`, [JSON.stringify(response), tcn, row.ori]);
      if (result.match && result.fin) await this.onImmigrationMatch(tx, tcn, response.sre.fbiNumber, result, row.ori);
      if (!withheld) await this.notify(tx, 'idr', row.ori, response.sre.fbiNumber, tcn, { immigration: response.immigration }, undefined);
      await this.audit({ event: 'booking.immigration_completed', outcome: 'success', tcn, recordIds: [response.sre.fbiNumber], fieldClasses: withheld ? [] : ['immigration_summary'] }, { userId: row.user_id, ori: row.ori }, tx);
    });
  }

  private async onImmigrationMatch(tx: Sql, tcn: string, fbiNumber: string, result: ImmigrationSearchResult, bookingOri: string): Promise<void> {
    await this.link(tx, fbiNumber, result.fin!, tcn);
    await this.notify(tx, 'iaq', LESC_ORI, result.fin!, tcn, { fbiNumber, fin: result.fin, bookingOri, summary: result.summary }, undefined);
  }

  private async link(tx: Sql, fbiNumber: string, fin: string, tcn: string): Promise<void> {
    await tx.query('INSERT INTO identity_links (fbi_number, fin, linked_at, tcn) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [fbiNumber, fin, this.now().toISOString(), tcn]);
  }

  private async notify(tx: Sql, kind: string, toOri: string, subjectRef: string, tcn: string, payload: unknown, deadline: string | undefined): Promise<void> {
    await tx.query(
      `INSERT INTO notifications (kind, to_ori, subject_ref, tcn, payload, sent_at, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, tcn, to_ori, subject_ref) DO NOTHING`,
      [kind, toOri, subjectRef, tcn, JSON.stringify(payload), this.now().toISOString(), deadline ?? null],
    );
  }

  async notifications(ori: string): Promise<Alert[]> {
    const rows = await this.db.query<{ id: number; kind: string; subject_ref: string; tcn: string; payload: unknown; sent_at: string; deadline: string | null; ack_at: string | null; answer: string | null }>(
      'SELECT id, kind, subject_ref, tcn, payload, sent_at, deadline, ack_at, answer FROM notifications WHERE to_ori = $1 ORDER BY id',
      [ori],
    );
    const now = this.now().toISOString();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      subjectRef: r.subject_ref,
      tcn: r.tcn,
      payload: r.payload,
      sentAt: r.sent_at,
      deadline: r.deadline ?? undefined,
      state: r.answer ?? (r.deadline && r.deadline < now ? 'overdue' : r.ack_at ? 'acknowledged' : 'new'),
    }));
  }

  /**
   * Works an alert of the requester's agency: `acknowledged`, or for a hit confirmation the
   * answer of the agency holding the warrant (`confirmed`: the warrant is active and this is the
   * person; `not_confirmed`). Audited; answering twice keeps the first answer.
   */
  async answerAlert(requester: Requester, id: number, answer: 'acknowledged' | 'confirmed' | 'not_confirmed'): Promise<Alert> {
    const [row] = await this.db.query<{ kind: string; to_ori: string; tcn: string }>('SELECT kind, to_ori, tcn FROM notifications WHERE id = $1', [id]);
    if (!row || row.to_ori !== requester.ori) throw new ConcordError('NOT_FOUND', `no alert ${id} for agency ${requester.ori}`, { id });
    if (answer !== 'acknowledged' && !HIT_CONFIRMATION_KINDS.includes(row.kind)) throw new ConcordError('BAD_REQUEST', 'only hit confirmations are confirmed or not', { field: 'answer' });
    await this.db.transaction(async (tx) => {
      await tx.query('UPDATE notifications SET ack_at = COALESCE(ack_at, $1) WHERE id = $2', [this.now().toISOString(), id]);
      if (answer !== 'acknowledged') {
        const set = await tx.query('UPDATE notifications SET answer = $1, answered_by = $2 WHERE id = $3 AND (answer IS NULL OR answer = $1) RETURNING id', [answer, requester.userId, id]);
        if (set.length === 0) throw new ConcordError('ALREADY_DECIDED', `alert ${id} was already answered otherwise; the first answer stands`, { id });
        // One hit, one answer: the first request, the second and the escalation close together.
        await tx.query(`UPDATE notifications SET answer = $1, answered_by = $2 WHERE tcn = $3 AND kind = ANY($4) AND answer IS NULL`, [answer, requester.userId, row.tcn, HIT_CONFIRMATION_KINDS]);
      }
      await this.audit({ event: `alert.${answer}`, outcome: 'success', tcn: row.tcn, recordIds: [String(id)] }, requester, tx);
    });
    return (await this.notifications(requester.ori)).find((alert) => alert.id === id)!;
  }

  /**
   * Hit confirmations not answered in time (domain brief 5.6): a second request to the entering
   * agency with a new deadline; if that too goes unanswered, escalation to the FBI's control
   * terminal. Runs every minute in the server; each step is a notification, audited, sent once.
   */
  async escalateOverdueConfirmations(): Promise<{ secondRequests: number; escalations: number }> {
    const now = this.now();
    return this.db.transaction(async (tx) => {
      const overdue = await tx.query<{ kind: string; to_ori: string; subject_ref: string; tcn: string; payload: Record<string, unknown> }>(
        `SELECT n.kind, n.to_ori, n.subject_ref, n.tcn, n.payload FROM notifications n
          WHERE n.kind IN ('hit_confirmation', 'hit_confirmation_second') AND n.answer IS NULL AND n.deadline < $1
            AND NOT EXISTS (SELECT 1 FROM notifications later WHERE later.tcn = n.tcn AND later.answer IS NOT NULL AND later.kind = ANY($2))`,
        [now.toISOString(), HIT_CONFIRMATION_KINDS],
      );
      let secondRequests = 0;
      let escalations = 0;
      for (const n of overdue) {
        const second = n.kind === 'hit_confirmation';
        const kind = second ? 'hit_confirmation_second' : 'hit_confirmation_escalated';
        const to = second ? n.to_ori : CONTROL_TERMINAL_ORI;
        const exists = await tx.query('SELECT 1 FROM notifications WHERE kind = $1 AND tcn = $2 AND to_ori = $3', [kind, n.tcn, to]);
        if (exists.length > 0) continue;
        const deadline = second ? new Date(now.getTime() + HIT_CONFIRMATION_URGENT_MS).toISOString() : undefined;
        await this.notify(tx, kind, to, n.subject_ref, n.tcn, { ...n.payload, enteringOri: n.to_ori, unansweredSince: now.toISOString() }, deadline);
        await this.audit({ event: `${kind}.sent`, outcome: 'success', tcn: n.tcn, recordIds: [n.subject_ref, `to:${to}`] }, SYSTEM, tx);
        if (second) secondRequests++;
        else escalations++;
      }
      return { secondRequests, escalations };
    });
  }

  /**
   * Rapid identification (domain brief 5.5): the criminal repository is searched whole (a person
   * with only an old arrest is amber, scenario 17), the immigration repository only among its
   * violators, and only when the purpose's grant opens it. A candidate below the identification
   * threshold is named by no one: a possible match gives its match level and nothing else.
   */
  async identify(requester: Requester, request: { tcn: string; purpose?: string; fingers: FingerPayload[] }): Promise<IdentifyAnswer> {
    const purpose = await this.requirePurpose(requester, request.purpose, 'identify.refused', PRINTS);
    await this.authorize(requester, 'identify', purpose);
    // The answer is a wanted status: a purpose whose grant gives none is refused before any search.
    const grant = await this.requireGrant(requester, purpose, { event: 'identify.refused', tcn: request.tcn, recordIds: [PRINTS] }, (g) => g.wanted, 'no wanted status');
    if (request.fingers.length < 1 || request.fingers.length > 10) {
      throw await this.refused(requester, { event: 'identify.refused', purpose, tcn: request.tcn }, new ConcordError('FINGER_COUNT', `rapid identification takes 1 to 10 fingers, got ${request.fingers.length}`, { fingers: request.fingers.length }));
    }
    const searchImmigration = opensImmigration(grant);
    return this.once(requester, request.tcn, 'identify', purpose, request.fingers, async () => {
      const [criminal, immigration] = await Promise.all([
        this.bus.request<CriminalIdentification>('criminal.identify', { fingers: request.fingers }),
        searchImmigration ? this.bus.request<ImmigrationSearchResult>('immigration.screen', { fingers: request.fingers }, 3000).catch(() => undefined) : undefined,
      ]);
      // Two repositories that each identified someone name one person only if the identity links say so.
      const bothIdentified = criminal.level === 'identified' && immigration?.level === 'identified';
      const samePerson = !bothIdentified || (await this.linked(criminal.fbiNumber!, immigration.fin!));
      const { answer, wanted } = rapidAnswer(request.tcn, purpose, grant, criminal, immigration, searchImmigration, samePerson);
      return {
        answer,
        audit: {
          event: 'identify.answer',
          outcome: 'success',
          recordIds: [criminal.fbiNumber, immigration?.fin, criminal.incomplete && incompleteSearch(criminal.incomplete).marker].filter((x): x is string => !!x),
          fieldClasses: answer.color === 'green' ? [] : ['identity', ...(wanted ? ['wanted'] : [])],
        },
      };
    });
  }

  /** The one-stop history of a subject named by FBI number or FIN (domain brief 5.8). */
  async history(requester: Requester, id: string, requested: string | undefined): Promise<SubjectHistory> {
    const purpose = await this.requirePurpose(requester, requested, 'history.refused', id);
    await this.authorize(requester, 'history', purpose);
    // A FIN is itself immigration data: without an immigration grant it is refused alike for every FIN, known or not.
    const byFin = id.startsWith('FIN');
    await this.requireGrant(requester, purpose, { event: 'history.refused', recordIds: [id] }, byFin ? opensImmigration : opensRecords, byFin ? 'no immigration data (a FIN is immigration data)' : 'no record');
    const subject = await this.completeByLinks(byFin ? { fin: id } : { fbiNumber: id });
    return this.discloseHistory(requester, purpose, id, subject, 'history');
  }

  /**
   * The one-stop history of whoever the prints identify (domain brief 5.8). Only the repositories
   * the requester's grant opens are searched, and only a positive identification is answered: a
   * possible match could be someone else. The identity links complete what the searches found,
   * so the answer is the one the identifier would give; where they contradict the searches,
   * nothing is disclosed. The prints are read only once purpose, right and grant are established.
   * Every outcome is audited under `history_by_prints.*`.
   */
  async historyByPrints(requester: Requester, requested: string | undefined, readFingers: () => Promise<FingerPayload[]>): Promise<SubjectHistory> {
    const purpose = await this.requirePurpose(requester, requested, 'history_by_prints.refused', PRINTS);
    await this.authorize(requester, 'history', purpose);
    const refusal = (event: string, recordIds = [PRINTS]) => ({ event: `history_by_prints.${event}`, purpose, recordIds });
    const grant = await this.requireGrant(requester, purpose, refusal('refused'), opensRecords);
    const searchCriminal = opensCriminal(grant);
    const searchImmigration = opensImmigration(grant);
    const fingers = await readFingers();
    if (fingers.length < 1 || fingers.length > 10) throw await this.refused(requester, refusal('refused'), new ConcordError('FINGER_COUNT', `a history by prints takes 1 to 10 fingers, got ${fingers.length}`, { fingers: fingers.length }));
    // The searches answer who matched and nothing else: the grant decides what is fetched after.
    let searches: (SubjectMatch | undefined)[];
    try {
      searches = await Promise.all([
        searchCriminal ? this.bus.request<SubjectMatch>('criminal.match', { fingers }) : undefined,
        searchImmigration ? this.bus.request<SubjectMatch>('immigration.match', { fingers }) : undefined,
      ]);
    } catch (error) {
      await this.audit({ event: 'history_by_prints.search_failed', outcome: 'failure', purpose, recordIds: [PRINTS] }, requester);
      throw this.audited(error);
    }
    const [criminal, immigration] = searches;
    const found = { fbiNumber: criminal?.subject, fin: immigration?.subject };
    if (!found.fbiNumber && criminal?.incomplete) {
      // Not found in part of the criminal gallery proves nothing: the record could be in a shard not searched.
      const { message, marker } = incompleteSearch(criminal.incomplete);
      throw await this.refused(requester, refusal('search_incomplete', [PRINTS, marker]), new ConcordError('SEARCH_INCOMPLETE', `${message}: ask again shortly`, { search: marker, retryAfter: SEARCH_RETRY_AFTER_SECONDS }));
    }
    if (!found.fbiNumber && !found.fin) {
      const matchLevel = criminal?.level === 'possible' || immigration?.level === 'possible' ? 'possible' : 'none';
      throw await this.refused(requester, refusal('no_identification'), new ConcordError('SUBJECT_NOT_FOUND', matchLevel === 'possible' ? 'the prints give only a possible match, no positive identification: an examiner must confirm it before any record is disclosed' : 'the prints match no record', { matchLevel }));
    }
    const subject = await this.completeByLinks(found);
    if (subject.conflict) {
      const error = new ConcordError('IDENTITY_CONFLICT', 'the prints identify records in the two repositories that the identity links assign to different people: an examiner must resolve this before any record is disclosed', {});
      throw await this.refused(requester, refusal('identity_conflict', [found.fbiNumber!, found.fin!]), error);
    }
    // Named by FBI number only for a requester the criminal repository may answer; else by FIN.
    const id = (searchCriminal ? subject.fbiNumber : undefined) ?? subject.fin ?? subject.fbiNumber!;
    return this.discloseHistory(requester, purpose, id, subject, 'history_by_prints');
  }

  /** Whether the identity links tie this criminal record to this traveller. */
  private async linked(fbiNumber: string, fin: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM identity_links WHERE fbi_number = $1 AND fin = $2', [fbiNumber, fin])).length > 0;
  }

  /**
   * A subject known by its FBI number, its FIN or both, its other half filled in from the identity
   * links; `conflict` when both were given and the links tie either of them to someone else.
   */
  private async completeByLinks({ fbiNumber, fin }: { fbiNumber?: string; fin?: string }): Promise<{ fbiNumber?: string; fin?: string; conflict: boolean }> {
    const links = await this.db.query<{ fbi_number: string; fin: string }>('SELECT fbi_number, fin FROM identity_links WHERE fbi_number = $1 OR fin = $2', [fbiNumber ?? null, fin ?? null]);
    const finsOfRecord = links.filter((link) => link.fbi_number === fbiNumber).map((link) => link.fin);
    const recordsOfFin = links.filter((link) => link.fin === fin).map((link) => link.fbi_number);
    const conflict = !!fbiNumber && !!fin && ((finsOfRecord.length > 0 && !finsOfRecord.includes(fin)) || (recordsOfFin.length > 0 && !recordsOfFin.includes(fbiNumber)));
    return { fbiNumber: fbiNumber ?? recordsOfFin[0], fin: fin ?? finsOfRecord[0], conflict };
  }

  /**
   * Gathers what the grant allows from both repositories, filters it, and audits the disclosure
   * (`<events>.disclose`) before it is returned; an identifier no repository knows is audited too
   * (`<events>.not_found`): guessing identifiers leaves a trace.
   */
  private async discloseHistory(requester: Requester, purpose: PurposeCode, id: string, { fbiNumber, fin }: { fbiNumber?: string; fin?: string }, events: 'history' | 'history_by_prints'): Promise<SubjectHistory> {
    const grant = grantFor(requester, purpose);
    // Ask only for what may be disclosed: data minimisation starts at the source.
    const wantCriminal = fbiNumber && opensCriminal(grant);
    const wantImmigration = fin && opensImmigration(grant);
    let records: [CriminalHistory | undefined, ImmigrationHistory | undefined];
    try {
      records = await Promise.all([
        wantCriminal ? this.bus.request<CriminalHistory>('criminal.history', { fbiNumber }) : undefined,
        // A link may outlive a purged immigration record: then there is no immigration part.
        wantImmigration ? this.bus.request<ImmigrationHistory>('immigration.history', { fin }).catch((error: unknown) => {
          if (isConcordError(error, 'SUBJECT_NOT_FOUND') && id !== fin) return undefined;
          throw error;
        }) : undefined,
      ]);
    } catch (error) {
      if (isConcordError(error, 'SUBJECT_NOT_FOUND')) throw await this.refused(requester, { event: `${events}.not_found`, purpose, recordIds: [id] }, error);
      // A stored record the repository cannot read back: the reader is told which, and so is the trail.
      if (isConcordError(error, 'RECORD_MALFORMED')) {
        await this.audit({ event: `${events}.record_malformed`, outcome: 'failure', purpose, recordIds: [id, `arrest:${error.where.tcn}`] }, requester);
        throw this.audited(error);
      }
      throw error;
    }
    const history = buildOneStopHistory(grant, ...records);
    // Without an immigration grant the answer is marked withheld whether or not a FIN is linked: the mark must not tell.
    if (grant.immigration === 'none' || (fbiNumber && !wantCriminal)) history.withheld = true;
    const answer = { subject: id, purpose, policyVersion: POLICY_VERSION, ...history };
    await this.audit({ event: `${events}.disclose`, outcome: 'success', purpose, recordIds: [fbiNumber, fin].filter((x): x is string => !!x), fieldClasses: history.fieldClasses }, requester);
    return answer;
  }

  /**
   * Records that the requester passed criminal history on outside the original exchange (domain
   * brief 7.1), with its audit record in the same transaction. Only a record the audit trail
   * shows disclosed to the requester's agency can be passed on from it.
   */
  async recordSecondaryDissemination(requester: Requester, request: { record: string; purpose?: string; requestingAgency: string; requestingOri?: string; recipient: string; method: DisseminationMethod; sharedOn?: string }): Promise<SecondaryDissemination> {
    const today = this.now().toISOString().slice(0, 10);
    const entry = { ...request, sharedOn: request.sharedOn ?? today };
    const purpose = await this.requirePurpose(requester, entry.purpose, 'dissemination.refused', entry.record);
    await this.authorize(requester, 'history', purpose);
    await this.requireGrant(requester, purpose, { event: 'dissemination.refused', recordIds: [entry.record] }, (grant) => grant.criminalHistory !== 'none', 'no criminal history');
    const received = await criminalHistoryReceived(this.db, entry.record, requester.ori);
    const refusal = { event: 'dissemination.refused', purpose, recordIds: [entry.record] };
    if (!received) throw await this.refused(requester, refusal, new ConcordError('NOT_RECEIVED', `no disclosure of criminal history on ${entry.record} to agency ${requester.ori} is on record: only what the agency received can it pass on`, { field: 'record' }));
    if (entry.sharedOn > today || entry.sharedOn < received.firstOn) {
      throw await this.refused(requester, refusal, new ConcordError('BAD_REQUEST', `field "sharedOn" must lie between the agency's first receipt of the record (${received.firstOn}) and today`, { field: 'sharedOn' }));
    }
    return this.db.transaction(async (tx) => {
      const auditSeq = await this.audit({ event: 'dissemination.secondary', outcome: 'success', purpose, recordIds: [entry.record, ...(entry.requestingOri ? [`to:${entry.requestingOri}`] : [])], fieldClasses: [received.fieldClass] }, requester, tx);
      return recordDissemination(tx, { ...entry, purpose, releasedBy: requester.userId, releasedByOri: requester.ori, auditSeq });
    });
  }

  /** The secondary dissemination log, for the privacy officer; the search is itself audited. */
  async searchDisseminations(requester: Requester, filter: { record?: string; ori?: string; limit?: number }): Promise<SecondaryDissemination[]> {
    await this.authorize(requester, 'audit.read');
    const entries = await searchDisseminations(this.db, filter);
    await this.audit({ event: 'audit.dissemination_search', outcome: 'success', recordIds: filter.record ? [queryText(filter.record)!] : [] }, requester);
    return entries;
  }

  /** The privacy officer's audit search; the search is itself audited. */
  async searchAudit(requester: Requester, filter: AuditFilter): Promise<AuditEntry[]> {
    await this.authorize(requester, 'audit.read');
    const entries = await searchAudit(this.db, filter);
    await this.audit({ event: 'audit.search', outcome: 'success', recordIds: filter.subject ? [queryText(filter.subject)!] : [] }, requester);
    return entries;
  }

  /** Account administration: the administrator's only powers. Every change is audited. */
  async accounts(requester: Requester): Promise<{ agencies: Awaited<ReturnType<typeof listAgencies>>; users: UserSummary[] }> {
    await this.authorize(requester, 'accounts.manage');
    return { agencies: await listAgencies(this.db), users: await listUsers(this.db, this.now()) };
  }

  async createAgency(requester: Requester, agency: { ori: string; name: string; type: AgencyType }): Promise<void> {
    await this.authorize(requester, 'accounts.manage');
    const existing = await this.db.query('SELECT 1 FROM agencies WHERE ori = $1', [agency.ori]);
    if (existing.length > 0) throw new ConcordError('DUPLICATE_AGENCY', `agency ${agency.ori} already exists`, { field: 'ori' });
    await registerAgency(this.db, agency);
    await this.audit({ event: 'agency.create', outcome: 'success', recordIds: [agency.ori] }, requester);
  }

  /**
   * Creates a person's account: they sign in with the password and the one-time-code secret
   * returned here once (there is no API token for a person). An account that reads records waits
   * for a second administrator's approval (`approveUser`) before it can sign in.
   */
  async createUser(requester: Requester, user: { id: string; name: string; ori: string; role: Role; password: string }): Promise<{ id: string; totpSecret: string; status: AccountStatus }> {
    await this.authorize(requester, 'accounts.manage');
    const refuse = async (error: ConcordError) => this.refused(requester, { event: 'account.create', recordIds: [user.id] }, error);
    const existing = await this.db.query('SELECT 1 FROM users WHERE id = $1', [user.id]);
    if (existing.length > 0) throw await refuse(new ConcordError('DUPLICATE_USER', `user ${user.id} already exists`, { field: 'id' }));
    const agency = await this.db.query('SELECT 1 FROM agencies WHERE ori = $1', [user.ori]);
    if (agency.length === 0) throw await refuse(new ConcordError('BAD_ORI', `no agency ${user.ori}`, { field: 'ori' }));
    const status: AccountStatus = needsSecondApprover(user.role) ? 'pending_approval' : 'active';
    if (status === 'pending_approval' && isSystem(requester)) throw await refuse(personsOnly());
    let totpSecret = '';
    try {
      await this.db.transaction(async (tx) => {
        await registerUser(tx, user, { status, createdBy: requester.userId });
        ({ totpSecret } = await setCredentials(tx, user.id, user.password));
        await this.audit({ event: 'account.create', outcome: 'success', recordIds: [user.id, `role ${user.role}`, `agency ${user.ori}`, status] }, requester, tx);
      });
    } catch (error) {
      if (error instanceof ConcordError) throw await refuse(error);
      throw error;
    }
    return { id: user.id, totpSecret, status };
  }

  /** The second person's approval of an account waiting for it; refusals are audited like the approval. */
  async approveUser(requester: Requester, id: string): Promise<{ id: string; status: AccountStatus }> {
    return this.approve(requester, 'account', id);
  }

  /** The second person's approval of a registered system waiting for it. */
  async approveClient(requester: Requester, id: string): Promise<{ id: string; status: AccountStatus }> {
    return this.approve(requester, 'client', id);
  }

  /** The two-person rule's second step, for a person's account or a system (`account-approval.ts`). */
  private async approve(requester: Requester, kind: 'account' | 'client', id: string): Promise<{ id: string; status: AccountStatus }> {
    await this.authorize(requester, 'accounts.manage');
    const table = kind === 'account' ? 'users' : 'clients';
    const refuse = async (error: ConcordError) => this.refused(requester, { event: `${kind}.approve`, recordIds: [id] }, error);
    const [pending] = await this.db.query<{ ori: string; status: AccountStatus; active: boolean; created_by: string | null }>(`SELECT ori, status, active, created_by FROM ${table} WHERE id = $1`, [id]);
    if (!pending) throw await refuse(new ConcordError('NOT_FOUND', `no ${kind === 'account' ? 'user' : 'client'} ${id}`, { [kind]: id }));
    if (pending.status !== 'pending_approval' || !pending.active) throw await refuse(new ConcordError('NOT_PENDING', `${id} is not waiting for approval`, { [kind]: id }));
    // The approver must be a person with an active account: a system's credential approves nothing.
    const [approver] = await this.db.query<Approver>(`SELECT id, ori, role FROM users WHERE id = $1 AND active AND status = 'active'`, [requester.userId]);
    const own = await this.db.query<{ id: string }>(`SELECT id FROM users WHERE ori = $1 AND role = 'administrator' AND active AND status = 'active'`, [pending.ori]);
    const why = approvalRefusal({ id, ori: pending.ori, createdBy: pending.created_by ?? '' }, approver, own.map((r) => r.id), CONTROL_TERMINAL_ORI);
    if (why) throw await refuse(new ConcordError('FORBIDDEN', why, { [kind]: id }));
    await this.db
      .transaction(async (tx) => {
        const approved = await tx.query(`UPDATE ${table} SET status = 'active', approved_by = $2 WHERE id = $1 AND status = 'pending_approval' RETURNING id`, [id, requester.userId]);
        if (approved.length === 0) throw new ConcordError('NOT_PENDING', `${id} is not waiting for approval`, { [kind]: id });
        await this.audit({ event: `${kind}.approve`, outcome: 'success', recordIds: [id, `created by ${pending.created_by ?? 'unknown'}`] }, requester, tx);
      })
      .catch(async (error: unknown) => {
        if (error instanceof ConcordError) throw await refuse(error);
        throw error;
      });
    return { id, status: 'active' };
  }

  /** Registers another agency's system by its public key (it then signs short-lived assertions). */
  async registerClient(requester: Requester, client: Parameters<typeof registerClient>[1]): Promise<{ status: AccountStatus }> {
    await this.authorize(requester, 'accounts.manage');
    const refuse = async (error: ConcordError) => this.refused(requester, { event: 'client.register', recordIds: [client.id] }, error);
    const agency = await this.db.query('SELECT 1 FROM agencies WHERE ori = $1', [client.ori]);
    if (agency.length === 0) throw await refuse(new ConcordError('BAD_ORI', `no agency ${client.ori}`, { field: 'ori' }));
    // A system that reads records is as powerful as a person who does: the same two-person rule.
    const status: AccountStatus = needsSecondApprover(client.role) ? 'pending_approval' : 'active';
    if (status === 'pending_approval' && isSystem(requester)) throw await refuse(personsOnly());
    try {
      await this.db.transaction(async (tx) => {
        await registerClient(tx, client, { status, createdBy: requester.userId });
        await this.audit({ event: 'client.register', outcome: 'success', recordIds: [client.id, `role ${client.role}`, `agency ${client.ori}`, status] }, requester, tx);
      });
    } catch (error) {
      if (error instanceof ConcordError) throw await refuse(error);
      throw error;
    }
    return { status };
  }

  async deactivateClient(requester: Requester, id: string): Promise<void> {
    await this.authorize(requester, 'accounts.manage');
    await deactivateClient(this.db, id);
    await this.audit({ event: 'client.deactivate', outcome: 'success', recordIds: [id] }, requester);
  }

  async deactivateUser(requester: Requester, id: string): Promise<void> {
    await this.authorize(requester, 'accounts.manage');
    await deactivateUser(this.db, id);
    await this.audit({ event: 'account.deactivate', outcome: 'success', recordIds: [id] }, requester);
  }

  /** A re-extraction of stored templates (after an engine upgrade), by whom and with what result, or why it stopped. */
  async recordReextraction(requester: Requester, result: ReextractionReport | { failed: unknown }): Promise<void> {
    if ('failed' in result) {
      await this.audit({ event: 'templates.reextract', outcome: 'failure', recordIds: [errorCode(result.failed) || 'INTERNAL'] }, requester);
      this.audited(result.failed);
      return;
    }
    await this.audit({ event: 'templates.reextract', outcome: 'success', recordIds: [`${result.reextracted} templates re-extracted`, `${result.withoutImage} without an image`, ...result.refused.map((binding) => `refused:${binding}`)] }, requester);
  }

  async recordKeyRotation(requester: Requester, keyId: string, resealed: number, refused: readonly string[]): Promise<void> {
    await this.audit({ event: 'keys.rotate', outcome: 'success', recordIds: [keyId, `${resealed} templates resealed`, ...refused.map((binding) => `refused:${binding}`)] }, requester);
  }

  /** The privacy officer logs a person's request for correction. */
  async openRedress(requester: Requester, request: { subject: string; kind: RedressKind; description: string; arrestTcn?: string }): Promise<RedressCase> {
    await this.authorize(requester, 'redress.open');
    if (request.kind === 'record_challenge' && !request.arrestTcn) throw new ConcordError('BAD_REQUEST', 'a record challenge names the arrest (arrestTcn)', { field: 'arrestTcn' });
    return this.db.transaction(async (tx) => {
      const opened = await openCase(tx, { ...request, openedBy: requester.userId, at: this.now() });
      await this.audit({ event: 'redress.open', outcome: 'success', recordIds: [request.subject, `redress:${opened.id}`] }, requester, tx);
      return opened;
    });
  }

  /** The privacy officer sees every case; an analyst, those of their repository. */
  async redressCases(requester: Requester): Promise<RedressCase[]> {
    if (mayPerform(requester, 'redress.open')) return listCases(this.db);
    await this.authorize(requester, 'redress.decide');
    return listCases(this.db, repositoryOf(requester));
  }

  /**
   * The owning repository's decision. A correction is applied by the repository itself, then every
   * agency the audit trail shows received the subject's data is notified, in one transaction
   * with the decision and its audit record.
   */
  async decideRedress(requester: Requester, id: number, decision: { outcome: 'corrected' | 'declined'; reason: string }): Promise<RedressCase> {
    await this.authorize(requester, 'redress.decide');
    const pending = await caseById(this.db, id);
    if (pending.repository !== repositoryOf(requester)) throw new ConcordError('FORBIDDEN', `the ${pending.repository} repository decides case ${id}`, { id });
    // Claim the case first, so two analysts cannot both act on it; give it back if the correction fails.
    await claimCase(this.db, id);
    try {
      if (decision.outcome === 'corrected') {
        if (pending.kind === 'record_challenge') await this.bus.request('criminal.correct', { fbiNumber: pending.subject, arrestTcn: pending.arrestTcn });
        else await this.bus.request('immigration.correct', { fin: pending.subject, flag: pending.kind === 'overstay_error' ? 'overstay' : 'identity_conflict' });
      }
      return await this.db.transaction(async (tx) => {
        const recipients = decision.outcome === 'corrected' ? await recipientsOf(tx, pending.subject) : [];
        for (const ori of recipients) {
          await this.notify(tx, 'redress_correction', ori, pending.subject, `REDRESS-${id}`, { caseId: id, kind: pending.kind, correction: REDRESS_KINDS[pending.kind].correction, reason: decision.reason }, undefined);
        }
        const decided = await recordDecision(tx, id, { status: decision.outcome, decidedBy: requester.userId, reason: decision.reason, notified: recipients, at: this.now() });
        await this.audit({ event: `redress.${decision.outcome}`, outcome: 'success', recordIds: [pending.subject, `redress:${id}`, ...recipients.map((ori) => `notified:${ori}`)] }, requester, tx);
        return decided;
      });
    } catch (error) {
      await releaseCase(this.db, id);
      throw error;
    }
  }

  /**
   * The retention purge (domain brief 7.3): each repository deletes what has outlived its
   * retention, the audit trail drops records past theirs (behind a checkpoint that keeps the
   * chain verifiable), and the purge itself is audited with what it deleted.
   */
  async runRetention(requester: Requester | undefined, rules: RetentionRules): Promise<RetentionReport> {
    if (requester) await this.authorize(requester, 'accounts.manage');
    const now = this.now();
    const yearsAgo = (years: number) => new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate()));
    const { purged: purgedFins, ...travellers } = await this.bus.request<{ samples: number; encounters: number; purged: string[] }>('immigration.purge', { before: yearsAgo(rules.immigrationYears).toISOString() });
    const { purged: purgedRecords } = await this.bus.request<{ purged: string[] }>('criminal.purge', { bornBefore: yearsAgo(rules.criminalAgeYears).toISOString().slice(0, 10) });
    const immigration = { ...travellers, subjects: purgedFins.length };
    const criminal = { subjects: purgedRecords.length };
    return this.db.transaction(async (tx) => {
      const auditCutoff = yearsAgo(rules.auditYears);
      const auditRecords = await this.auditWriter.purgeBefore(tx, auditCutoff);
      // Stored answers and notifications carry what was disclosed: they go with the audit records.
      const transactions = (await tx.query('DELETE FROM transactions WHERE received_at < $1 RETURNING tcn', [auditCutoff.toISOString()])).length;
      const notifications = (await tx.query('DELETE FROM notifications WHERE sent_at < $1 RETURNING id', [auditCutoff.toISOString()])).length;
      // The secondary dissemination log is kept as long as the record disseminated (domain brief 7.3).
      const secondaryDisseminations = (await tx.query('DELETE FROM secondary_disseminations WHERE record = ANY($1) RETURNING id', [[...purgedRecords, ...purgedFins]])).length;
      const report: RetentionReport = { at: now.toISOString(), immigration, criminal, auditRecords, transactions, notifications, secondaryDisseminations };
      const counts = [
        `immigration samples ${immigration.samples}`,
        `encounters ${immigration.encounters}`,
        `travellers ${immigration.subjects}`,
        `criminal subjects ${criminal.subjects}`,
        `audit records ${auditRecords}`,
        `transactions ${transactions}`,
        `notifications ${notifications}`,
        `secondary disseminations ${secondaryDisseminations}`,
      ];
      await this.audit({ event: 'retention.purge', outcome: 'success', recordIds: counts }, requester ?? SYSTEM, tx);
      return report;
    });
  }

  /** Aggregate operational figures (no personal data) since `days` days ago. */
  async metrics(requester: Requester, days: number): Promise<OperationalMetrics> {
    await this.authorize(requester, 'metrics.read');
    return operationalMetrics(this.db, new Date(this.now().getTime() - days * 86_400_000));
  }

  async verifyAudit(requester: Requester): Promise<ChainVerdict> {
    await this.authorize(requester, 'audit.read');
    return verifyAuditChain(this.db, { signer: this.auditSigner });
  }

  /**
   * A privacy officer's repair of an audit record a fault broke (its stored hash is not the one
   * its stored content gives): a signed entry, chained like any record, naming the record, both
   * hashes and the cause. Verification then reports that break as repaired, for as long as the
   * record stays as it is now. An intact, unknown or already repaired record is refused, audited.
   */
  async repairAudit(requester: Requester, seq: number, cause: string): Promise<RepairTarget & { repairSeq: number; cause: string }> {
    await this.authorize(requester, 'audit.repair', undefined, [`audit:${seq}`]);
    const refusal = { event: 'audit.repair_refused', recordIds: [`audit:${seq}`] };
    if (!this.auditSigner) throw await this.refused(requester, refusal, new ConcordError('NOT_AVAILABLE', 'this gateway has no key to sign a repair entry with', {}));
    const target = await alteredRecord(this.db, seq);
    if (!target) {
      const exists = (await this.db.query('SELECT 1 FROM audit_log WHERE seq = $1::bigint', [seq])).length > 0;
      throw await this.refused(requester, refusal, exists ? new ConcordError('NOTHING_TO_CORRECT', `audit record ${seq} is intact: there is nothing to repair`, { seq }) : new ConcordError('NOT_FOUND', `no audit record ${seq}`, { seq }));
    }
    const earlier = await repairOf(this.db, target);
    if (earlier) throw await this.refused(requester, refusal, new ConcordError('ALREADY_DECIDED', `audit record ${seq} was repaired already, by entry ${earlier}`, { seq, repair: earlier }));
    const at = this.now();
    const repairSeq = await this.auditWriter.append(signedRepair(target, cause, requester, at, this.auditSigner), at);
    return { ...target, repairSeq, cause };
  }

  /**
   * A traveller's face photo, for a requester whose grant includes full immigration data for
   * this purpose; the disclosure is audited before the photo leaves.
   */
  async photo(requester: Requester, id: string, requested: string | undefined): Promise<Uint8Array> {
    const purpose = await this.requirePurpose(requester, requested, 'photo.refused', id);
    await this.authorize(requester, 'history', purpose);
    // The grant first: asked before any link is looked up, it gives the same answer for every identifier.
    await this.requireGrant(requester, purpose, { event: 'photo.refused', recordIds: [id] }, (grant) => grant.immigration === 'full', 'no photo');
    const fin = id.startsWith('FIN') ? id : (await this.completeByLinks({ fbiNumber: id })).fin;
    const notFound = async () => { throw await this.refused(requester, { event: 'photo.not_found', purpose, recordIds: [id] }, new ConcordError('SUBJECT_NOT_FOUND', `no photo is known for ${id}`, { id })); };
    if (!fin) return notFound();
    const { image } = await this.bus.request<{ image: string | null }>('immigration.photo', { fin });
    if (!image) return notFound();
    await this.audit({ event: 'photo.disclose', outcome: 'success', purpose, recordIds: [fin], fieldClasses: ['photo'] }, requester);
    return Buffer.from(image, 'base64');
  }

  /**
   * The examiner's side-by-side: a probe finger against a subject's stored finger of the same
   * position — score, false-match rate, the paired minutiae and the stored WSQ image. Disclosing
   * a fingerprint image is audited like any other disclosure.
   */
  async compare(requester: Requester, request: { probe: FingerprintTemplate; subject: string; position: number; purpose?: string }): Promise<CandidateComparison> {
    const recordIds = [request.subject];
    const purpose = await this.requirePurpose(requester, request.purpose, 'compare.refused', request.subject);
    await this.authorize(requester, 'identify', purpose);
    // Refused before the subject is looked up: no grant, the same answer for every identifier (domain brief §6.1: local agencies get no biometrics).
    const grant = await this.requireGrant(requester, purpose, { event: 'compare.refused', recordIds }, (g) => g.biometrics !== 'none', 'no stored prints');
    const repository = request.subject.startsWith('FIN') ? 'immigration' : 'criminal';
    const sample = await this.bus.request<StoredSample>(`${repository}.sample`, { id: request.subject, position: request.position }).catch(async (error: unknown) => {
      if (isConcordError(error, 'SUBJECT_NOT_FOUND')) throw await this.refused(requester, { event: 'compare.not_found', purpose, recordIds }, error);
      throw error;
    });
    const candidate = decodeTemplate(Buffer.from(sample.template, 'base64'));
    const { score, pairs } = explainComparison(prepareTemplate(request.probe), prepareTemplate(candidate));
    // Match results only (ICE): the score, nothing of the stored print.
    const showPrint = grant.biometrics === 'full' || grant.biometrics === 'match_images';
    const fieldClasses = !showPrint ? ['match_score'] : sample.image ? ['fingerprint_image'] : ['fingerprint_template'];
    await this.audit({ event: 'compare.disclose', outcome: 'success', purpose, recordIds, fieldClasses }, requester);
    const result = { score, fmr: fmrForScore(score), pairs: showPrint ? pairs : [] };
    return showPrint ? { ...result, candidate: { width: candidate.width, height: candidate.height, minutiae: [...candidate.minutiae], wsq: sample.image } } : result;
  }

  async enterWanted(requester: Requester, entry: Omit<WantedEntry, 'enteringOri'>): Promise<WantedSummary> {
    await this.authorize(requester, 'wanted.enter');
    const record = await this.bus.request<WantedSummary>('criminal.wanted.enter', { ...entry, enteringOri: requester.ori });
    await this.audit({ event: 'wanted.enter', outcome: 'success', recordIds: [record.id, entry.fbiNumber], fieldClasses: ['wanted'] }, requester);
    return record;
  }

  async clearWanted(requester: Requester, id: string): Promise<WantedSummary> {
    await this.authorize(requester, 'wanted.clear');
    const record = await this.bus.request<WantedSummary>('criminal.wanted.clear', { id, ori: requester.ori });
    await this.audit({ event: 'wanted.clear', outcome: 'success', recordIds: [id], fieldClasses: ['wanted'] }, requester);
    return record;
  }
}

/** A query parameter as text: a repeated one arrives as a list, and is named by its values joined. */
function queryText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/**
 * The two-person rule counts persons: a system's credential, which whoever holds it may use, could
 * otherwise create an account that its holder then approves as the "second" person.
 */
function personsOnly(): ConcordError {
  return new ConcordError('FORBIDDEN', 'an account that needs a second approver is created by an administrator signed in as a person, not by a system', {});
}

/** Whether a grant lets either repository answer with records (wanted status counts). */
function opensRecords(grant: Grant): boolean {
  return opensCriminal(grant) || opensImmigration(grant);
}

/** Which repository's records an analyst answers for. */
function repositoryOf(requester: Requester): Repository | undefined {
  return requester.role === 'immigration_analyst' ? 'immigration' : requester.role === 'justice_analyst' ? 'criminal' : undefined;
}

function immigrationPart(result: ImmigrationSearchResult | undefined, grant: ImmigrationGrant): BookingAnswer['immigration'] {
  // Without an immigration grant, "known to DHS or not" is itself immigration data: the answer is the same either way.
  if (grant === 'none') return { status: 'WITHHELD', message: 'immigration data withheld by policy' };
  if (!result) return { status: 'PENDING', message: 'the immigration repository is unavailable; its answer will follow when it returns' };
  if (!result.match) return { status: 'NO_MATCH', message: 'no DHS record', knownToDhs: false };
  return {
    status: 'MATCH',
    message: 'known to DHS; ICE has been notified',
    knownToDhs: true,
    fin: result.fin,
    statusClass: result.summary?.statusClass,
    flags: (result.summary?.flags ?? []).filter((f) => ['removed', 'expedited_removal', 'overstay', 'watchlist'].includes(f)),
    iceNotified: true,
    iceContact: `ICE LESC (${LESC_ORI}), 24x7`,
  };
}
