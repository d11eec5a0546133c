import { decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';
import { hashToken, newToken, ROLES, type AccountStatus, type AgencyType, type Requester, type Role } from './access.ts';

/**
 * Credentials for systems (never for persons, who sign in). Each registered system has an agency
 * and a role, and authenticates one of two ways. The better one: it registers a public key and
 * signs a short-lived JWT for each call (RFC 7523 style client assertion: iss = sub = its id, aud
 * "concord", at most five minutes from iat to exp, a fresh jti); nothing secret is stored here and
 * a token cannot be replayed. The simpler one: an API token, stored only hashed, that expires.
 * Deactivating the system revokes either at once. A system acts, and is audited, as
 * `client:<id>`, a name no person's user id can take.
 */
export const CLIENT_AUDIENCE = 'concord';
const MAX_LIFETIME_S = 300;
const CLOCK_TOLERANCE_S = 30;
const ALGORITHMS = ['ES256', 'EdDSA'];

export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * Registers (or re-registers) a system by its public key. A new key or role is a new system as far
 * as approval goes: it takes `status` again, and a pending one authenticates only once approved.
 */
export async function registerClient(db: Sql, client: { id: string; name: string; ori: string; role: Role; publicKey: JWK }, account: { status: AccountStatus; createdBy: string }): Promise<void> {
  if (!ROLES.includes(client.role)) throw new ConcordError('BAD_ROLE', `unknown role ${client.role}`, { role: client.role });
  try {
    await importJWK(client.publicKey, client.publicKey.crv === 'Ed25519' ? 'EdDSA' : 'ES256');
  } catch (error) {
    throw new ConcordError('BAD_KEY', `the public key is not a usable ES256 or Ed25519 JWK: ${(error as Error).message}`, { field: 'publicKey' });
  }
  if ('d' in client.publicKey) throw new ConcordError('BAD_KEY', 'send the public key only, never the private part (d)', { field: 'publicKey' });
  await db.query(
    `INSERT INTO clients (id, name, ori, role, public_jwk, active, status, created_by) VALUES ($1, $2, $3, $4, $5, true, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ori = EXCLUDED.ori, role = EXCLUDED.role, public_jwk = EXCLUDED.public_jwk, active = true,
       status = EXCLUDED.status, created_by = EXCLUDED.created_by, approved_by = NULL`,
    [client.id, client.name, client.ori, client.role, JSON.stringify(client.publicKey), account.status, account.createdBy],
  );
}

/** The user id a system acts under. */
export function systemUserId(id: string): string {
  return `client:${id}`;
}

/** Whether a requester is a registered system rather than a signed-in person. */
export function isSystem(requester: { userId: string }): boolean {
  return requester.userId.startsWith(systemUserId(''));
}

/**
 * Gives a system (created if new, active: this is for a deployment's own seeding, not the API) an
 * API token that expires at `expiresAt`; only the token's hash is stored, the token is returned once.
 */
export async function registerSystemToken(db: Sql, system: { id: string; name: string; ori: string; role: Role }, expiresAt: Date, token = newToken()): Promise<string> {
  if (!ROLES.includes(system.role)) throw new ConcordError('BAD_ROLE', `unknown role ${system.role}`, { role: system.role });
  await db.query(
    `INSERT INTO clients (id, name, ori, role, token_hash, expires_at, active, status) VALUES ($1, $2, $3, $4, $5, $6, true, 'active')
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, ori = EXCLUDED.ori, role = EXCLUDED.role, token_hash = EXCLUDED.token_hash, expires_at = EXCLUDED.expires_at, active = true, status = 'active'`,
    [system.id, system.name, system.ori, system.role, hashToken(token), expiresAt.toISOString()],
  );
  return token;
}

/** The system behind an API token; undefined for an unknown token. An expired one is refused with TOKEN_EXPIRED. */
export async function authenticateSystemToken(db: Sql, token: string, now: Date): Promise<Requester | undefined> {
  const [row] = await db.query<{ id: string; name: string; ori: string; role: Role; type: AgencyType; expires_at: string | null }>(
    `SELECT c.id, c.name, c.ori, c.role, a.type, c.expires_at FROM clients c JOIN agencies a ON a.ori = c.ori WHERE c.token_hash = $1 AND c.active AND c.status = 'active'`,
    [hashToken(token)],
  );
  if (!row) return undefined;
  if (!row.expires_at || new Date(row.expires_at) <= now) {
    throw new ConcordError('TOKEN_EXPIRED', 'the API token has expired; the system needs a new credential', {});
  }
  return { userId: systemUserId(row.id), name: row.name, ori: row.ori, role: row.role, agencyType: row.type };
}

/** The client system behind a signed assertion; undefined for anything that is not one of ours. */
export async function authenticateClient(db: Sql, token: string, now: Date): Promise<Requester | undefined> {
  let issuer: string | undefined;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    return undefined;
  }
  if (!issuer) return undefined;
  const [client] = await db.query<{ id: string; name: string; ori: string; role: Role; public_jwk: JWK; type: AgencyType }>(
    `SELECT c.id, c.name, c.ori, c.role, c.public_jwk, a.type FROM clients c JOIN agencies a ON a.ori = c.ori
      WHERE c.id = $1 AND c.active AND c.status = 'active' AND c.public_jwk IS NOT NULL AND (c.expires_at IS NULL OR c.expires_at > $2)`,
    [issuer, now.toISOString()],
  );
  if (!client) return undefined;
  let claims;
  try {
    const key = await importJWK(client.public_jwk, client.public_jwk.crv === 'Ed25519' ? 'EdDSA' : 'ES256');
    ({ payload: claims } = await jwtVerify(token, key, { audience: CLIENT_AUDIENCE, issuer, subject: issuer, algorithms: ALGORITHMS, currentDate: now, clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['exp', 'iat', 'jti'], maxTokenAge: MAX_LIFETIME_S }));
  } catch {
    return undefined;
  }
  // Short-lived in fact, not only on paper: an iat set in the future cannot stretch the window.
  const nowS = now.getTime() / 1000;
  if (claims.exp! - claims.iat! > MAX_LIFETIME_S || claims.exp! > nowS + MAX_LIFETIME_S + CLOCK_TOLERANCE_S) return undefined;
  // One use per token: its jti is remembered until it would have expired anyway.
  const fresh = await db.query('INSERT INTO client_token_ids (jti, client_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING jti', [
    `${issuer}:${claims.jti}`,
    issuer,
    new Date(claims.exp! * 1000).toISOString(),
  ]);
  if (fresh.length === 0) return undefined;
  await db.query('DELETE FROM client_token_ids WHERE expires_at < $1', [new Date(now.getTime() - CLOCK_TOLERANCE_S * 1000).toISOString()]);
  return { userId: systemUserId(client.id), name: client.name, ori: client.ori, role: client.role, agencyType: client.type };
}

/** Deactivates a system: its signed assertions and its API token stop working at once. */
export async function deactivateClient(db: Sql, id: string): Promise<void> {
  const rows = await db.query('UPDATE clients SET active = false WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) throw new ConcordError('NOT_FOUND', `no client ${id}`, { client: id });
}
