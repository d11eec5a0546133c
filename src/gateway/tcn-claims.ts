import { createHash, randomUUID } from 'node:crypto';
import { ConcordError } from '../shared/errors.ts';
import { noteTcn } from '../shared/request-context.ts';
import type { Sql } from '../infra/db/database.ts';
import type { Requester } from './access.ts';
import type { WorkflowContext, WorkflowEvent } from './workflow-context.ts';

/**
 * A claimed TCN still unanswered after this long belongs to a process that died: another
 * submission may take it over. Far beyond any workflow's time (seconds), bus timeouts included.
 */
const STALE_CLAIM_MS = 10 * 60 * 1000;

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
 * the process that lost it can then neither answer nor release it. The answer, its audit record
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
  try {
    const { answer, audit, alsoInTransaction } = await work();
    await ctx.db.transaction(async (tx) => {
      const answered = await tx.query(
        `UPDATE transactions SET status = 'answered', answered_at = $3, response = $4 WHERE ori = $5 AND tcn = $1 AND status = 'pending' AND claim = $2 RETURNING tcn`,
        [tcn, claim.owner, ctx.now().toISOString(), JSON.stringify(answer), requester.ori],
      );
      if (answered.length === 0) throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} was taken over by another submission while it ran; ask again for its answer`, { tcn });
      await alsoInTransaction?.(tx);
      await ctx.audit({ ...audit, tcn, purpose }, requester, tx);
    });
    return answer;
  } catch (error) {
    await ctx.db.query(`DELETE FROM transactions WHERE ori = $3 AND tcn = $1 AND status = 'pending' AND claim = $2`, [tcn, claim.owner, requester.ori]);
    throw await failed(error);
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
      `INSERT INTO transactions (tcn, tot, ori, user_id, purpose, received_at, status, claim, digest) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) ON CONFLICT (ori, tcn) DO NOTHING RETURNING tcn`,
      [tcn, tot, requester.ori, requester.userId, purpose ?? null, receivedAt, owner, digest],
    );
    if (claimed.length > 0) return { owner };
    const [stored] = await ctx.db.query<{ response: unknown; tot: string; user_id: string; status: string; received_at: string; claim: string | null; digest: string | null }>(
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
    const taken = stale && (await ctx.db.query(`UPDATE transactions SET received_at = $2, claim = $3 WHERE ori = $5 AND tcn = $1 AND status = 'pending' AND claim IS NOT DISTINCT FROM $4 RETURNING tcn`, [tcn, receivedAt, owner, stored.claim, requester.ori])).length > 0;
    if (taken) return { owner };
    break;
  }
  throw new ConcordError('TCN_IN_PROGRESS', `TCN ${tcn} is being processed; ask again for its answer in a moment`, { tcn });
}
