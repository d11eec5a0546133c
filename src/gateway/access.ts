import { createHash, randomBytes } from 'node:crypto';
import { ConcordError } from '../shared/errors.ts';
import type { Sql } from '../infra/db/database.ts';

/** Agencies, users and roles, and what each role may do (checked per request, not per session). */
export const AGENCY_TYPES = ['federal_immigration', 'federal_criminal', 'state', 'local'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
export type Role =
  | 'port_officer'
  | 'booking_officer'
  | 'field_officer'
  | 'immigration_analyst'
  | 'justice_analyst'
  | 'privacy_officer'
  | 'administrator';

export type Action = 'enroll' | 'book' | 'disposition.report' | 'identify' | 'history' | 'wanted.enter' | 'wanted.clear' | 'audit.read' | 'metrics.read' | 'accounts.manage' | 'redress.open' | 'redress.decide' | 'alerts';

export interface Requester {
  userId: string;
  name: string;
  ori: string;
  agencyType: AgencyType;
  role: Role;
  client?: string;
}

/** Which role may take which action. Administrators manage accounts; they read no records. */
export const PERMISSIONS: Readonly<Record<Role, readonly Action[]>> = {
  port_officer: ['enroll', 'identify', 'history'],
  booking_officer: ['book', 'identify', 'history', 'wanted.enter', 'wanted.clear', 'alerts'],
  field_officer: ['identify'],
  immigration_analyst: ['history', 'identify', 'metrics.read', 'redress.decide', 'alerts'],
  // The FBI records the dispositions courts report; an arresting agency reports none (at most "pending").
  justice_analyst: ['history', 'identify', 'wanted.enter', 'wanted.clear', 'book', 'disposition.report', 'metrics.read', 'redress.decide', 'alerts'],
  privacy_officer: ['audit.read', 'metrics.read', 'redress.open'],
  administrator: ['accounts.manage', 'metrics.read'],
};

export const ROLES = Object.keys(PERMISSIONS) as Role[];

export function mayPerform(requester: Requester, action: Action): boolean {
  return PERMISSIONS[requester.role].includes(action);
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return `cct_${randomBytes(24).toString('base64url')}`;
}

export async function registerAgency(db: Sql, agency: { ori: string; name: string; type: AgencyType; state?: string }): Promise<void> {
  if (!/^[A-Z]{2}[A-Z0-9]{7}$/.test(agency.ori)) throw new ConcordError('BAD_ORI', `ORI "${agency.ori}" is not 9 characters (2-letter state + 7)`, { ori: agency.ori });
  await db.query('INSERT INTO agencies (ori, name, type, state) VALUES ($1, $2, $3, $4) ON CONFLICT (ori) DO NOTHING', [agency.ori, agency.name, agency.type, agency.state ?? null]);
}

/** Creates a user with a fresh API token; only the token's hash is stored, the token is returned once. */
export async function registerUser(db: Sql, user: { id: string; name: string; ori: string; role: Role }, token = newToken()): Promise<string> {
  if (!ROLES.includes(user.role)) throw new ConcordError('BAD_ROLE', `unknown role ${user.role}`, { role: user.role });
  await db.query(
    `INSERT INTO users (id, name, ori, role, token_hash) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO UPDATE SET token_hash = EXCLUDED.token_hash, role = EXCLUDED.role, active = true`,
    [user.id, user.name, user.ori, user.role, hashToken(token)],
  );
  return token;
}

export async function authenticate(db: Sql, token: string | undefined): Promise<Requester | undefined> {
  if (!token) return undefined;
  const rows = await db.query<{ id: string; name: string; ori: string; role: Role; type: AgencyType }>(
    'SELECT u.id, u.name, u.ori, u.role, a.type FROM users u JOIN agencies a ON a.ori = u.ori WHERE u.token_hash = $1 AND u.active',
    [hashToken(token)],
  );
  const row = rows[0];
  return row ? { userId: row.id, name: row.name, ori: row.ori, role: row.role, agencyType: row.type } : undefined;
}

export interface UserSummary {
  id: string;
  name: string;
  ori: string;
  role: Role;
  active: boolean;
  signInEnabled: boolean;
  lockedUntil?: string;
}

export async function listUsers(db: Sql): Promise<UserSummary[]> {
  const rows = await db.query<{ id: string; name: string; ori: string; role: Role; active: boolean; password_hash: string | null; locked_until: string | null }>(
    'SELECT id, name, ori, role, active, password_hash, locked_until FROM users ORDER BY ori, id',
  );
  return rows.map((r) => ({ id: r.id, name: r.name, ori: r.ori, role: r.role, active: r.active, signInEnabled: r.password_hash !== null, lockedUntil: r.locked_until ?? undefined }));
}

export async function listAgencies(db: Sql): Promise<{ ori: string; name: string; type: AgencyType }[]> {
  return db.query('SELECT ori, name, type FROM agencies ORDER BY ori');
}

/** Deactivates a user: their API token and every open session stop working at once. */
export async function deactivateUser(db: Sql, id: string): Promise<void> {
  const rows = await db.query('UPDATE users SET active = false WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) throw new ConcordError('NOT_FOUND', `no user ${id}`, { user: id });
  await db.query('UPDATE sessions SET revoked = true WHERE user_id = $1', [id]);
}
