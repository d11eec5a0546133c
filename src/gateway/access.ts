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

export type Action = 'enroll' | 'book' | 'disposition.report' | 'identify' | 'history' | 'wanted.enter' | 'wanted.clear' | 'audit.read' | 'audit.repair' | 'metrics.read' | 'accounts.manage' | 'redress.open' | 'redress.decide' | 'alerts';

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
  privacy_officer: ['audit.read', 'audit.repair', 'metrics.read', 'redress.open'],
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

/** What an account waits for before it may sign in. */
export type AccountStatus = 'active' | 'pending_approval';

/**
 * Creates (or, for the seeding of a deployment, renews) a person's account. Persons have no API
 * token: they sign in with a password and a one-time code (`setCredentials`, `signIn`).
 */
export async function registerUser(db: Sql, user: { id: string; name: string; ori: string; role: Role }, account: { status?: AccountStatus; createdBy?: string } = {}): Promise<void> {
  if (!ROLES.includes(user.role)) throw new ConcordError('BAD_ROLE', `unknown role ${user.role}`, { role: user.role });
  await db.query(
    `INSERT INTO users (id, name, ori, role, status, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET role = EXCLUDED.role, active = true`,
    [user.id, user.name, user.ori, user.role, account.status ?? 'active', account.createdBy ?? null],
  );
}

export interface UserSummary {
  id: string;
  name: string;
  ori: string;
  role: Role;
  active: boolean;
  status: AccountStatus;
  createdBy?: string;
  approvedBy?: string;
  signInEnabled: boolean;
  /** Client addresses from which sign-ins to this account are locked out at the moment. */
  lockedAddresses: number;
}

export async function listUsers(db: Sql, now: Date): Promise<UserSummary[]> {
  const rows = await db.query<{ id: string; name: string; ori: string; role: Role; active: boolean; status: AccountStatus; created_by: string | null; approved_by: string | null; password_hash: string | null; locked: number }>(
    `SELECT u.id, u.name, u.ori, u.role, u.active, u.status, u.created_by, u.approved_by, u.password_hash,
            (SELECT count(*)::int FROM sign_in_failures f WHERE f.user_id = u.id AND f.locked_until > $1::timestamptz) AS locked
       FROM users u ORDER BY u.ori, u.id`,
    [now.toISOString()],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ori: r.ori,
    role: r.role,
    active: r.active,
    status: r.status,
    createdBy: r.created_by ?? undefined,
    approvedBy: r.approved_by ?? undefined,
    signInEnabled: r.password_hash !== null,
    lockedAddresses: Number(r.locked),
  }));
}

export async function listAgencies(db: Sql): Promise<{ ori: string; name: string; type: AgencyType }[]> {
  return db.query('SELECT ori, name, type FROM agencies ORDER BY ori');
}

/** Deactivates a user: every open session of theirs ends at once. */
export async function deactivateUser(db: Sql, id: string): Promise<void> {
  const rows = await db.query('UPDATE users SET active = false WHERE id = $1 RETURNING id', [id]);
  if (rows.length === 0) throw new ConcordError('NOT_FOUND', `no user ${id}`, { user: id });
  await db.query('UPDATE sessions SET revoked = true WHERE user_id = $1', [id]);
}
