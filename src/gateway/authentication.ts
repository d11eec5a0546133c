import { ConcordError, errorCode } from '../shared/errors.ts';
import type { Requester } from './access.ts';
import { USER_ID } from './audit-record.ts';
import { authenticateClient, authenticateSystemToken, looksLikeJwt } from './client-credentials.ts';
import { endSession, resumeSession, SESSION_TOKEN_PREFIX, signIn as signInWithCode, type SignInResult } from './sign-in.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * Who is asking: a person's session opened by signing in (password and one-time code,
 * `sign-in.ts`), or a registered system's signed assertion or API token (`client-credentials.ts`).
 * Every sign-in, failure and lock is audited; the secrets never are.
 */

export async function authenticate(ctx: WorkflowContext, token: string | undefined, client?: string): Promise<Requester> {
  let requester: Requester | undefined;
  try {
    // Each kind of credential is looked up where it lives, once.
    if (token?.startsWith(SESSION_TOKEN_PREFIX)) requester = await resumeSession(ctx.db, token, ctx.now());
    else if (token && looksLikeJwt(token)) requester = await authenticateClient(ctx.db, token, ctx.now());
    else if (token) requester = await authenticateSystemToken(ctx.db, token, ctx.now());
  } catch (error) {
    await ctx.audit({ event: errorCode(error) === 'TOKEN_EXPIRED' ? 'logon.token_expired' : 'session.locked', outcome: 'refused' }, { client });
    throw error;
  }
  if (!requester) {
    await ctx.audit({ event: 'logon', outcome: 'failure' }, { client });
    throw new ConcordError('UNAUTHENTICATED', token ? 'the API token is not valid' : 'an API token is required (Authorization: Bearer ...)');
  }
  return { ...requester, client };
}

/** A client address that presented too many bad credentials is refused for a while: recorded once, when it starts. */
export async function recordThrottled(ctx: WorkflowContext, client: string): Promise<void> {
  await ctx.audit({ event: 'logon.throttled', outcome: 'refused' }, { client });
}

/**
 * Password and one-time code to a session token; success and failure are audited, the secrets
 * never. So are the older sessions a sign-in ends, and a lock of the (account, address) pair.
 */
export async function signIn(ctx: WorkflowContext, attempt: { user: string; password: string; code: string }, client?: string): Promise<SignInResult> {
  let outcome;
  try {
    // Not the shape of a user id: refused like a wrong password, before any lookup; audited bounded.
    outcome = USER_ID.test(attempt.user)
      ? await signInWithCode(ctx.db, attempt, client, ctx.now())
      : { ok: false as const, error: new ConcordError('SIGN_IN_FAILED', 'user, password or one-time code is not right', {}) };
  } catch (error) {
    await ctx.audit({ event: 'sign_in.INTERNAL', outcome: 'failure' }, { userId: attempt.user, client });
    throw error;
  }
  if (outcome.ok) {
    const actor = { ...outcome.result.requester, client };
    await ctx.audit({ event: 'sign_in', outcome: 'success' }, actor);
    if (outcome.endedSessions > 0) await ctx.audit({ event: 'session.superseded', outcome: 'success', recordIds: [actor.userId, `${outcome.endedSessions} older session(s) ended`] }, actor);
    return outcome.result;
  }
  await ctx.audit({ event: `sign_in.${outcome.error.code}`, outcome: 'failure' }, { userId: attempt.user, client });
  if (outcome.lock) {
    await ctx.audit({ event: 'account.locked', outcome: 'refused', recordIds: [attempt.user, `until ${outcome.lock.until}`, `${outcome.lock.endedSessions} session(s) ended`] }, { userId: attempt.user, client });
  }
  throw outcome.error;
}

export async function signOut(ctx: WorkflowContext, requester: Requester, token: string): Promise<void> {
  await endSession(ctx.db, token);
  await ctx.audit({ event: 'sign_out', outcome: 'success' }, requester);
}
