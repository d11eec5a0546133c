import { createHash, randomUUID } from 'node:crypto';
import { ConcordError } from '../shared/errors.ts';
import { noteTcn } from '../shared/request-context.ts';
import type { Sql } from '../infra/db/database.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext, WorkflowEvent } from './workflow-context.ts';

/**
 * A claim's holder renews it this often while its work runs; a claim not renewed for
 * STALE_CLAIM_SECONDS belongs to a process that died (or lost its database), and a resubmission
 * of the TCN, to any gateway process, takes it over. Both are judged by the database's clock.
 */
const RENEW_CLAIM_MS = 10_000;
export const STALE_CLAIM_SECONDS = 30;
/** Seconds a client told "in progress" is asked to wait before it asks again (Retry-After): about a booking's time. */
const IN_PROGRESS_RETRY_AFTER_SECONDS = 1;

/** What a workflow run under a TCN gives back: the answer, its audit record, and writes that commit with it. */
export interface TransactionOutcome<T> {
  answer: T;
  audit: Omit<WorkflowEvent, 'tcn' | 'purpose'>;
  alsoInTransaction?: (tx: Sql) => Promise<void>;
}

/**
 * Runs a transaction once per TCN of the requester's agency (ORI + TCN: another agency's TCN of
 * the same spelling is another transaction): a resubmission of the same request gets the stored
 * answer back (same TCR) and creates nothing; the same TCN with a different request (`content`,
 * kept as a digest) is refused as a duplicate, never answered with the first one's answer. The
 * TCN is claimed before any work starts, so two submissions racing with one new TCN cannot
 * both run it: the second is told the first is in progress. A claim whose work
 * fails is released for a retry; one left by a crashed process is taken over once stale, and
 * the process that lost it can then neither answer nor release it. Any gateway process may
 * take it over: a client whose gateway died retries on another and gets the first answer, or the
 * work run once more (the repositories book an arrest once per ORI and TCN). The answer, its audit record
 * and its notifications commit together.
 */
export async function once<T>(
  ctx: WorkflowContext,
  requester: Requester,
  tcn: string,
  tot: string,
  purpose: string | undefined,
  content: unknown,
  work: () => Promise<TransactionOutcome<T>>,
  /** Records the work wrote before it failed (an arrest's FBI number), named in the failure's audit record. */
  writtenBeforeFailure: () => string[] = () => [],
): Promise<T> {
  if (!tcn || typeof tcn !== 'string' || tcn.length > 40) throw new ConcordError('BAD_TCN', 'a transaction control number (tcn, at most 40 characters) is required', { field: 'tcn' });
  // For the request's log line and the messages it sends.
  noteTcn(tcn);
  const digest = createHash('sha256').update(JSON.stringify({ tot, purpose, content })).digest('hex');
  // A refusal or failure is audited under the transaction's kind with its TCN (a duplicate TCN, a repository's refusal, a 500).
  const failed = async (error: unknown) => {
    await ctx.recordFailure(requester, tot, error, { tcn, purpose, recordIds: writtenBeforeFailure() });
    return error;
  };
  const claim = await claimTcn(ctx, requester, tcn, tot, purpose, digest).catch(async (error: unknown) => {
    throw await failed(error);
  });
  if ('response' in claim) {
    await ctx.audit({ event: `${tot}.repeat`, outcome: 'success', tcn, purpose }, requester);
    return claim.response as T;
  }
  const heartbeat = setInterval(() => {
    ctx.db
      .query(`UPDATE transactions SET claim_renewed_at = clock_timestamp() WHERE ori = $1 AND tcn = $2 AND status = 'pending' AND claim = $3`, [requester.ori, tcn, claim.owner])
      .catch(() => undefined); // a renewal missed is retried at the next beat; only three in a row lose the claim
  }, RENEW_CLAIM_MS);
  heartbeat.unref();
  try {
    const { answer, audit, alsoInTransaction } = await work();
    await ctx.db.transaction(async (tx) => {
      const answered = await tx.query(
        `UPDATE transactions SET status = 'answered', answered_at = $3, response = $4 WHERE ori = $5 AND tcn = $1 AND status = 'pending' AND claim = $2 RETURNING tcn`,
        [tcn, claim.owner, ctx.now().toISOString(), JSON.stringify(answer), requester.ori],
      );
      if (answered.length === 0) throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} was taken over by another submission while it ran; ask again for its answer`, { tcn, retryAfter: IN_PROGRESS_RETRY_AFTER_SECONDS });
      await alsoInTransaction?.(tx);
      await ctx.audit({ ...audit, tcn, purpose }, requester, tx);
    });
    return answer;
  } catch (error) {
    await ctx.db.query(`DELETE FROM transactions WHERE ori = $3 AND tcn = $1 AND status = 'pending' AND claim = $2`, [tcn, claim.owner, requester.ori]);
    throw await failed(error);
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Claims a TCN for this requester: `owner` names a fresh claim (or a stale one taken over);
 * `response` is the stored answer when the TCN was already answered for them.
 */
async function claimTcn(ctx: WorkflowContext, requester: Requester, tcn: string, tot: string, purpose: string | undefined, digest: string): Promise<{ owner: string } | { response: unknown }> {
  const owner = randomUUID();
  const receivedAt = ctx.now().toISOString();
  // Twice at most: a claim released between our insert and our read leaves the TCN free again.
  for (let attempt = 0; attempt < 2; attempt++) {
    const claimed = await ctx.db.query(
      `INSERT INTO transactions (tcn, tot, ori, user_id, purpose, received_at, status, claim, digest, claim_renewed_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8, clock_timestamp()) ON CONFLICT (ori, tcn) DO NOTHING RETURNING tcn`,
      [tcn, tot, requester.ori, requester.userId, purpose ?? null, receivedAt, owner, digest],
    );
    if (claimed.length > 0) return { owner };
    const [stored] = await ctx.db.query<{ response: unknown; tot: string; user_id: string; status: string; claim: string | null; digest: string | null }>(
      'SELECT response, tot, user_id, status, claim, digest FROM transactions WHERE ori = $1 AND tcn = $2',
      [requester.ori, tcn],
    );
    if (!stored) continue;
    // A repeat gets its answer back only from the same sender, for the same request (transactions stored before digests were kept have none).
    if (stored.tot !== tot || stored.user_id !== requester.userId || (stored.digest !== null && stored.digest !== digest)) {
      throw new ConcordError('DUPLICATE_TCN', `TCN ${tcn} was already used for another request of agency ${requester.ori}; a new request needs a new TCN`, { tcn });
    }
    if (stored.status !== 'pending') return { response: stored.response }; // answered, or completed later
    // Taken over only if still stale when taken: of two resubmissions racing for it, one wins. (Claims made before
    // claims were renewed have no renewal time: their reception time stands for it.)
    const taken = await ctx.db.query(
      `UPDATE transactions SET claim = $3, claim_renewed_at = clock_timestamp()
        WHERE ori = $4 AND tcn = $1 AND status = 'pending' AND claim IS NOT DISTINCT FROM $2
          AND coalesce(claim_renewed_at, received_at) < clock_timestamp() - $5::int * interval '1 second'
        RETURNING tcn`,
      [tcn, stored.claim, owner, requester.ori, STALE_CLAIM_SECONDS],
    );
    if (taken.length > 0) return { owner };
    break;
  }
  throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} is being processed; ask again for its answer in a moment`, { tcn, retryAfter: IN_PROGRESS_RETRY_AFTER_SECONDS });
}
