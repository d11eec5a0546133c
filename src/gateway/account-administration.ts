import { ConcordError } from '../shared/errors.ts';
import { deactivateUser as deactivateUserAccount, listAgencies, listUsers, registerAgency, registerUser, type AccountStatus, type AgencyType, type Requester, type Role, type UserSummary } from './access.ts';
import { approvalRefusal, needsSecondApprover, type Approver } from './account-approval.ts';
import { deactivateClient as deactivateClientAccount, isSystem, registerClient as registerClientAccount } from './client-credentials.ts';
import { CONTROL_TERMINAL_ORI } from './hit-confirmation.ts';
import { setCredentials } from './sign-in.ts';
import type { WorkflowContext } from './workflow-context.ts';

/**
 * Account administration, the administrator's only powers: agencies, persons' accounts and other
 * agencies' systems, with the two-person rule for any account that reads records. Every change
 * is audited; so is every refusal.
 */

export async function accounts(ctx: WorkflowContext, requester: Requester): Promise<{ agencies: Awaited<ReturnType<typeof listAgencies>>; users: UserSummary[] }> {
  await ctx.authorize(requester, 'accounts.manage');
  return { agencies: await listAgencies(ctx.db), users: await listUsers(ctx.db, ctx.now()) };
}

export async function createAgency(ctx: WorkflowContext, requester: Requester, agency: { ori: string; name: string; type: AgencyType }): Promise<void> {
  await ctx.authorize(requester, 'accounts.manage');
  const existing = await ctx.db.query('SELECT 1 FROM agencies WHERE ori = $1', [agency.ori]);
  if (existing.length > 0) throw new ConcordError('DUPLICATE_AGENCY', `agency ${agency.ori} already exists`, { field: 'ori' });
  await registerAgency(ctx.db, agency);
  await ctx.audit({ event: 'agency.create', outcome: 'success', recordIds: [agency.ori] }, requester);
}

/**
 * Creates a person's account: they sign in with the password and the one-time-code secret
 * returned here once (there is no API token for a person). An account that reads records waits
 * for a second administrator's approval (`approve`) before it can sign in.
 */
export async function createUser(ctx: WorkflowContext, requester: Requester, user: { id: string; name: string; ori: string; role: Role; password: string }): Promise<{ id: string; totpSecret: string; status: AccountStatus }> {
  await ctx.authorize(requester, 'accounts.manage');
  const refuse = async (error: ConcordError) => ctx.refused(requester, { event: 'account.create', recordIds: [user.id] }, error);
  const existing = await ctx.db.query('SELECT 1 FROM users WHERE id = $1', [user.id]);
  if (existing.length > 0) throw await refuse(new ConcordError('DUPLICATE_USER', `user ${user.id} already exists`, { field: 'id' }));
  const agency = await ctx.db.query('SELECT 1 FROM agencies WHERE ori = $1', [user.ori]);
  if (agency.length === 0) throw await refuse(new ConcordError('BAD_ORI', `no agency ${user.ori}`, { field: 'ori' }));
  const status: AccountStatus = needsSecondApprover(user.role) ? 'pending_approval' : 'active';
  if (status === 'pending_approval' && isSystem(requester)) throw await refuse(personsOnly());
  let totpSecret = '';
  try {
    await ctx.db.transaction(async (tx) => {
      await registerUser(tx, user, { status, createdBy: requester.userId });
      ({ totpSecret } = await setCredentials(tx, user.id, user.password));
      await ctx.audit({ event: 'account.create', outcome: 'success', recordIds: [user.id, `role ${user.role}`, `agency ${user.ori}`, status] }, requester, tx);
    });
  } catch (error) {
    if (error instanceof ConcordError) throw await refuse(error);
    throw error;
  }
  return { id: user.id, totpSecret, status };
}

/** The two-person rule's second step, for a person's account or a system (`account-approval.ts`); refusals are audited like the approval. */
export async function approve(ctx: WorkflowContext, requester: Requester, kind: 'account' | 'client', id: string): Promise<{ id: string; status: AccountStatus }> {
  await ctx.authorize(requester, 'accounts.manage');
  const table = kind === 'account' ? 'users' : 'clients';
  const refuse = async (error: ConcordError) => ctx.refused(requester, { event: `${kind}.approve`, recordIds: [id] }, error);
  const [pending] = await ctx.db.query<{ ori: string; status: AccountStatus; active: boolean; created_by: string | null }>(`SELECT ori, status, active, created_by FROM ${table} WHERE id = $1`, [id]);
  if (!pending) throw await refuse(new ConcordError('NOT_FOUND', `no ${kind === 'account' ? 'user' : 'client'} ${id}`, { [kind]: id }));
  if (pending.status !== 'pending_approval' || !pending.active) throw await refuse(new ConcordError('NOT_PENDING', `${id} is not waiting for approval`, { [kind]: id }));
  // The approver must be a person with an active account: a system's credential approves nothing.
  const [approver] = await ctx.db.query<Approver>(`SELECT id, ori, role FROM users WHERE id = $1 AND active AND status = 'active'`, [requester.userId]);
  const own = await ctx.db.query<{ id: string }>(`SELECT id FROM users WHERE ori = $1 AND role = 'administrator' AND active AND status = 'active'`, [pending.ori]);
  const why = approvalRefusal({ id, ori: pending.ori, createdBy: pending.created_by ?? '' }, approver, own.map((r) => r.id), CONTROL_TERMINAL_ORI);
  if (why) throw await refuse(new ConcordError('FORBIDDEN', why, { [kind]: id }));
  await ctx.db
    .transaction(async (tx) => {
      const approved = await tx.query(`UPDATE ${table} SET status = 'active', approved_by = $2 WHERE id = $1 AND status = 'pending_approval' RETURNING id`, [id, requester.userId]);
      if (approved.length === 0) throw new ConcordError('NOT_PENDING', `${id} is not waiting for approval`, { [kind]: id });
      await ctx.audit({ event: `${kind}.approve`, outcome: 'success', recordIds: [id, `created by ${pending.created_by ?? 'unknown'}`] }, requester, tx);
    })
    .catch(async (error: unknown) => {
      if (error instanceof ConcordError) throw await refuse(error);
      throw error;
    });
  return { id, status: 'active' };
}

/** Registers another agency's system by its public key (it then signs short-lived assertions). */
export async function registerClient(ctx: WorkflowContext, requester: Requester, client: Parameters<typeof registerClientAccount>[1]): Promise<{ status: AccountStatus }> {
  await ctx.authorize(requester, 'accounts.manage');
  const refuse = async (error: ConcordError) => ctx.refused(requester, { event: 'client.register', recordIds: [client.id] }, error);
  const agency = await ctx.db.query('SELECT 1 FROM agencies WHERE ori = $1', [client.ori]);
  if (agency.length === 0) throw await refuse(new ConcordError('BAD_ORI', `no agency ${client.ori}`, { field: 'ori' }));
  // A system that reads records is as powerful as a person who does: the same two-person rule.
  const status: AccountStatus = needsSecondApprover(client.role) ? 'pending_approval' : 'active';
  if (status === 'pending_approval' && isSystem(requester)) throw await refuse(personsOnly());
  try {
    await ctx.db.transaction(async (tx) => {
      await registerClientAccount(tx, client, { status, createdBy: requester.userId });
      await ctx.audit({ event: 'client.register', outcome: 'success', recordIds: [client.id, `role ${client.role}`, `agency ${client.ori}`, status] }, requester, tx);
    });
  } catch (error) {
    if (error instanceof ConcordError) throw await refuse(error);
    throw error;
  }
  return { status };
}

export async function deactivateClient(ctx: WorkflowContext, requester: Requester, id: string): Promise<void> {
  await ctx.authorize(requester, 'accounts.manage');
  await deactivateClientAccount(ctx.db, id);
  await ctx.audit({ event: 'client.deactivate', outcome: 'success', recordIds: [id] }, requester);
}

export async function deactivateUser(ctx: WorkflowContext, requester: Requester, id: string): Promise<void> {
  await ctx.authorize(requester, 'accounts.manage');
  await deactivateUserAccount(ctx.db, id);
  await ctx.audit({ event: 'account.deactivate', outcome: 'success', recordIds: [id] }, requester);
}

/**
 * The two-person rule counts persons: a system's credential, which whoever holds it may use, could
 * otherwise create an account that its holder then approves as the "second" person.
 */
function personsOnly(): ConcordError {
  return new ConcordError('FORBIDDEN', 'an account that needs a second approver is created by an administrator signed in as a person, not by a system', {});
}
