import { randomBytes } from 'node:crypto';
import { hash, verify as verifyHash } from '@node-rs/argon2';
import { generateSecret, verify as verifyOneTimeCode } from 'otplib';
import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import { hashToken, type AgencyType, type Requester, type Role } from './access.ts';

/**
 * Interactive sign-in: a password (argon2id) and a time-based one-time code (RFC 6238), five
 * consecutive failures lock the account for ten minutes, and the session a sign-in opens locks
 * after thirty idle minutes. Only hashes of passwords and session tokens are stored.
 */
export const MAX_FAILURES = 5;
/** Session tokens say what they are, so the gateway looks them up in one place only. */
export const SESSION_TOKEN_PREFIX = 'ccs_';
export const LOCKOUT_MS = 10 * 60 * 1000;
export const IDLE_LOCK_MS = 30 * 60 * 1000;
/** A session ends after a shift even when in constant use. */
export const SESSION_MAX_MS = 12 * 60 * 60 * 1000;
/** A code from the previous 30-second step is still accepted (clock drift, slow typing); never a future one. */
const CODE_TOLERANCE_S: [number, number] = [30, 0];
const MIN_PASSWORD_LENGTH = 12;

/** Verified against when the user does not exist, so that the answer takes as long either way. */
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$IiLAVPfKmXD4CS7K3lRmJw$YTfZ3DmfQOHa7mju1MVDbh83Xhv/D1dsNFaF9HvV99Y';

export interface SignInResult {
  token: string;
  requester: Requester;
  idleLockSeconds: number;
}

/** Sets a user's password and a fresh one-time-code secret; returns the secret for their authenticator. */
export async function setCredentials(db: Sql, userId: string, password: string): Promise<{ totpSecret: string }> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new ConcordError('WEAK_PASSWORD', `a password needs at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  const totpSecret = generateSecret();
  const rows = await db.query('UPDATE users SET password_hash = $1, totp_secret = $2, failed_logins = 0, locked_until = NULL, last_code_step = NULL WHERE id = $3 RETURNING id', [
    await hash(password),
    totpSecret,
    userId,
  ]);
  if (rows.length === 0) throw new ConcordError('NOT_FOUND', `no user ${userId}`, { user: userId });
  return { totpSecret };
}

interface CredentialRow {
  id: string;
  name: string;
  ori: string;
  role: Role;
  type: AgencyType;
  password_hash: string | null;
  totp_secret: string | null;
  failed_logins: number;
  locked_until: string | null;
  last_code_step: string | null;
}

/**
 * Checks password and code and opens a session. Every failure gives the same SIGN_IN_FAILED
 * (never which part was wrong, nor whether the user exists), except a locked account, which is
 * told when to try again. The caller audits the outcome.
 */
export async function signIn(db: Sql, attempt: { user: string; password: string; code: string }, now: Date): Promise<SignInResult> {
  const [row] = await db.query<CredentialRow>(
    `SELECT u.id, u.name, u.ori, u.role, a.type, u.password_hash, u.totp_secret, u.failed_logins, u.locked_until, u.last_code_step
       FROM users u JOIN agencies a ON a.ori = u.ori WHERE u.id = $1 AND u.active`,
    [attempt.user],
  );
  const failed = new ConcordError('SIGN_IN_FAILED', 'user, password or one-time code is not right', {});
  if (!row || !row.password_hash || !row.totp_secret) {
    await verifyHash(DUMMY_HASH, attempt.password).catch(() => false);
    throw failed;
  }
  if (row.locked_until && new Date(row.locked_until) > now) {
    throw new ConcordError('ACCOUNT_LOCKED', `too many failed sign-ins; try again after ${new Date(row.locked_until).toISOString()}`, { until: row.locked_until });
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
  if (!passwordOk || !code.valid) {
    // One statement counts the failure, so parallel attempts cannot overwrite each other's count.
    await db.query(
      `UPDATE users SET failed_logins = CASE WHEN failed_logins + 1 >= $1 THEN 0 ELSE failed_logins + 1 END,
                        locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END
        WHERE id = $3`,
      [MAX_FAILURES, new Date(now.getTime() + LOCKOUT_MS).toISOString(), row.id],
    );
    throw failed;
  }
  // Claim the code's time step in one statement: of two parallel uses of one code, one fails.
  const step = (code as { timeStep?: number }).timeStep ?? 0;
  const claimed = await db.query(
    'UPDATE users SET failed_logins = 0, locked_until = NULL, last_code_step = $1 WHERE id = $2 AND (last_code_step IS NULL OR last_code_step < $1) RETURNING id',
    [step, row.id],
  );
  if (claimed.length === 0) throw failed;
  const token = `${SESSION_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  await db.query('INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)', [hashToken(token), row.id, now.toISOString()]);
  return { token, requester: { userId: row.id, name: row.name, ori: row.ori, role: row.role, agencyType: row.type }, idleLockSeconds: IDLE_LOCK_MS / 1000 };
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
      WHERE s.token_hash = $1 AND NOT s.revoked AND u.active`,
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
