import { randomBytes } from 'node:crypto';
import { hash, verify as verifyHash } from '@node-rs/argon2';
import { generateSecret, verify as verifyOneTimeCode } from 'otplib';
import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import { hashToken, type AgencyType, type Requester, type Role } from './access.ts';
import { clientKey } from './rate-limit.ts';

/**
 * Interactive sign-in: a password (argon2id) and a time-based one-time code (RFC 6238); the
 * session a sign-in opens locks after thirty idle minutes, and a user holds as many open sessions
 * as their agency allows (one by default): a new sign-in ends the oldest. Only hashes of passwords
 * and session tokens are stored.
 *
 * Failures are counted per (account, client address): five in a row lock that pair for ten
 * minutes, and each further failure after a lock doubles it (up to a day). Someone guessing from
 * one address therefore locks out only that address, never the user signing in from another. The
 * same counting applies to user ids that do not exist (or wait for approval), so the answers,
 * the lock included, never tell whether an account exists.
 */
export const MAX_FAILURES = 5;
/** Session tokens say what they are, so the gateway looks them up in one place only. */
export const SESSION_TOKEN_PREFIX = 'ccs_';
export const LOCKOUT_MS = 10 * 60 * 1000;
/** The back-off stops doubling here. */
export const MAX_LOCKOUT_MS = 24 * 60 * 60 * 1000;
/** Failures further apart than this start counting again from one. */
const FAILURE_MEMORY_MS = 24 * 60 * 60 * 1000;
/** Doublings beyond this would exceed MAX_LOCKOUT_MS anyway; the bound keeps the arithmetic finite. */
const MAX_DOUBLINGS = 20;
export const IDLE_LOCK_MS = 30 * 60 * 1000;
/** A session ends after a shift even when in constant use. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A code from the previous 30-second step is still accepted (clock drift, slow typing); never a future one. */
const CODE_TOLERANCE_S: [number, number] = [30, 0];
const MIN_PASSWORD_LENGTH = 12;
/** No account id is longer (ids are made to `^[a-z][a-z0-9._-]{1,39}$`); longer ones are answered as unknown without being counted, as no index could hold them. */
const MAX_COUNTED_ID_LENGTH = 200;

/** Verified against when the user does not exist, so that the answer takes as long either way. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$IiLAVPfKmXD4CS7K3lRmJw$YTfZ3DmfQOHa7mju1MVDbh83Xhv/D1dsNFaF9HvV99Y';

export interface SignInResult {
  token: string;
  requester: Requester;
  idleLockSeconds: number;
}

/** What a sign-in came to, for the caller to audit: the session, or the error and whether it started a lock. */
export type SignInOutcome =
  | { ok: true; result: SignInResult; endedSessions: number }
  | { ok: false; error: ConcordError; lock?: { until: string; endedSessions: number } };

/** Sets a user's password and a fresh one-time-code secret; returns the secret for their authenticator. */
export async function setCredentials(db: Sql, userId: string, password: string): Promise<{ totpSecret: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ConcordError('WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  const totpSecret = generateSecret();
  const rows = await db.query('UPDATE users SET password_hash = $1, totp_secret = $2, last_code_step = NULL WHERE id = $3 RETURNING id', [
    await hash(password),
    totpSecret,
    userId,
  ]);
  if (rows.length === 0) throw new ConcordError('NOT_FOUND', `no user ${userId}`, { user: userId });
  await db.query('DELETE FROM sign_in_failures WHERE user_id = $1', [userId]);
  return { totpSecret };
}

interface CredentialRow {
  id: string;
  name: string;
  ori: string;
  role: Role;
  type: AgencyType;
  max_sessions: number;
  password_hash: string | null;
  totp_secret: string | null;
  last_code_step: string | null;
}

/**
 * Checks password and code from a client address and opens a session. Every failure gives the
 * same SIGN_IN_FAILED (never which part was wrong, nor whether the user exists); a locked
 * (account, address) pair is told when to try again, whether the account exists or not.
 */
export async function signIn(db: Sql, attempt: { user: string; password: string; code: string }, client: string | undefined, now: Date): Promise<SignInOutcome> {
  const address = clientKey(client ?? 'unknown');
  const [pair] = await db.query<{ locked_until: string | null }>('SELECT locked_until FROM sign_in_failures WHERE user_id = $1 AND client = $2', [attempt.user, address]);
  if (pair?.locked_until && Date.parse(pair.locked_until) > now.getTime()) return { ok: false, error: lockedError(pair.locked_until) };

  const [row] = await db.query<CredentialRow>(
    `SELECT u.id, u.name, u.ori, u.role, a.type, a.max_sessions, u.password_hash, u.totp_secret, u.last_code_step
       FROM users u JOIN agencies a ON a.ori = u.ori WHERE u.id = $1 AND u.active AND u.status = 'active'`,
    [attempt.user],
  );
  const failed = async (): Promise<SignInOutcome> => ({
    ok: false,
    error: new ConcordError('SIGN_IN_FAILED', 'user, password or one-time code is not right', {}),
    lock: attempt.user.length <= MAX_COUNTED_ID_LENGTH ? await countFailure(db, attempt.user, address, now) : undefined,
  });
  if (!row || !row.password_hash || !row.totp_secret) {
    await verifyHash(DUMMY_HASH, attempt.password).catch(() => false);
    return failed();
  }
  const passwordOk = await verifyHash(row.password_hash, attempt.password).catch(() => false);
  const code = /^\d{6}$/.test(attempt.code)
    ? await verifyOneTimeCode({
        secret: row.totp_secret,
        token: attempt.code,
        epoch: Math.floor(now.getTime() / 1000),
        epochTolerance: CODE_TOLERANCE_S,
        afterTimeStep: row.last_code_step === null ? undefined : Number(row.last_code_step),
      })
    : { valid: false as const };
  if (!passwordOk || !code.valid) return failed();
  // Claim the code's time step in one statement: of two parallel uses of one code, one fails.
  const step = (code as { timeStep?: number }).timeStep ?? 0;
  const claimed = await db.query('UPDATE users SET last_code_step = $1 WHERE id = $2 AND (last_code_step IS NULL OR last_code_step < $1) RETURNING id', [step, row.id]);
  if (claimed.length === 0) return failed();
  await db.query('DELETE FROM sign_in_failures WHERE user_id = $1 AND client = $2', [row.id, address]);
  const token = `${SESSION_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  const tokenHash = hashToken(token);
  await db.query('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, client) VALUES ($1, $2, $3, $3, $4)', [tokenHash, row.id, now.toISOString(), address]);
  // The newest sessions the agency allows stay open; older ones end (the user signed in again elsewhere).
  const ended = await db.query(
    `UPDATE sessions SET revoked = true
      WHERE user_id = $1 AND NOT revoked AND token_hash <> $2
        AND token_hash NOT IN (SELECT token_hash FROM sessions WHERE user_id = $1 AND NOT revoked AND token_hash <> $2 ORDER BY created_at DESC LIMIT $3)
      RETURNING token_hash`,
    [row.id, tokenHash, Math.max(0, Number(row.max_sessions) - 1)],
  );
  return {
    ok: true,
    result: { token, requester: { userId: row.id, name: row.name, ori: row.ori, role: row.role, agencyType: row.type }, idleLockSeconds: IDLE_LOCK_MS / 1000 },
    endedSessions: ended.length,
  };
}

/**
 * Counts one failure of the (account, address) pair in one statement, so parallel attempts cannot
 * overwrite each other's count. When it starts a lock, the account's sessions opened from that
 * address end too; sessions opened elsewhere are left alone, or an outsider could end them.
 */
async function countFailure(db: Sql, user: string, address: string, now: Date): Promise<{ until: string; endedSessions: number } | undefined> {
  const at = now.toISOString();
  const [counted] = await db.query<{ locked_until: string | null }>(
    `INSERT INTO sign_in_failures AS f (user_id, client, failures, last_failure_at, locked_until) VALUES ($1, $2, 1, $3::timestamptz, NULL)
     ON CONFLICT (user_id, client) DO UPDATE SET
       failures = CASE WHEN f.last_failure_at < $3::timestamptz - $4::bigint * interval '1 millisecond' THEN 1 ELSE f.failures + 1 END,
       last_failure_at = $3::timestamptz,
       locked_until = CASE WHEN f.last_failure_at >= $3::timestamptz - $4::bigint * interval '1 millisecond' AND f.failures + 1 >= $5::int
         THEN $3::timestamptz + LEAST($6::bigint, ($7::bigint * power(2, LEAST(f.failures + 1 - $5::int, $8::int)))::bigint) * interval '1 millisecond'
         ELSE NULL END
     RETURNING locked_until`,
    [user, address, at, FAILURE_MEMORY_MS, MAX_FAILURES, MAX_LOCKOUT_MS, LOCKOUT_MS, MAX_DOUBLINGS],
  );
  // Pairs quiet for longer than the failure memory, and no longer locked, are forgotten: guesses at made-up ids do not pile up.
  await db.query(
    `DELETE FROM sign_in_failures WHERE last_failure_at < $1::timestamptz - $2::bigint * interval '1 millisecond' AND (locked_until IS NULL OR locked_until < $1::timestamptz)`,
    [at, FAILURE_MEMORY_MS],
  );
  if (!counted?.locked_until) return undefined;
  const ended = await db.query('UPDATE sessions SET revoked = true WHERE user_id = $1 AND client = $2 AND NOT revoked RETURNING token_hash', [user, address]);
  return { until: counted.locked_until, endedSessions: ended.length };
}

function lockedError(until: string): ConcordError {
  return new ConcordError('ACCOUNT_LOCKED', `too many failed sign-ins from this address; try again after ${until}`, { until });
}

/**
 * The user behind a session token, touching its idle clock; undefined when the token is no
 * session. An idle or expired session is refused with SESSION_LOCKED and closed.
 */
export async function resumeSession(db: Sql, token: string, now: Date): Promise<Requester | undefined> {
  const tokenHash = hashToken(token);
  const [row] = await db.query<{ id: string; name: string; ori: string; role: Role; type: AgencyType; created_at: string; last_seen_at: string }>(
    `SELECT u.id, u.name, u.ori, u.role, a.type, s.created_at, s.last_seen_at
       FROM sessions s JOIN users u ON u.id = s.user_id JOIN agencies a ON a.ori = u.ori
      WHERE s.token_hash = $1 AND NOT s.revoked AND u.active AND u.status = 'active'`,
    [tokenHash],
  );
  if (!row) return undefined;
  const idle = now.getTime() - new Date(row.last_seen_at).getTime() > IDLE_LOCK_MS;
  const expired = now.getTime() - new Date(row.created_at).getTime() > SESSION_MAX_MS;
  if (idle || expired) {
    await endSession(db, token);
    throw new ConcordError('SESSION_LOCKED', idle ? 'the session was idle for 30 minutes and is locked; sign in again' : 'the session has ended; sign in again', {});
  }
  await db.query('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [now.toISOString(), tokenHash]);
  return { userId: row.id, name: row.name, ori: row.ori, role: row.role, agencyType: row.type };
}

export async function endSession(db: Sql, token: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked = true WHERE token_hash = $1', [hashToken(token)]);
}
