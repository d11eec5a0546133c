import { PERMISSIONS, type Action, type Role } from './access.ts';

/**
 * The two-person rule for accounts (security review F3). No one person may create an account
 * that reads records: it waits, `pending_approval`, until a second administrator approves it.
 * Account management counts as well, since an administrator created by one person could approve
 * that person's next account. Pure rules; the gateway looks up the facts and audits.
 */

/** Actions whose answers carry record content (identities, histories, hits, the audit trail, cases). */
const RECORD_ACTIONS: readonly Action[] = ['enroll', 'book', 'identify', 'history', 'wanted.enter', 'wanted.clear', 'audit.read', 'redress.open', 'redress.decide', 'alerts'];

export function needsSecondApprover(role: Role): boolean {
  return PERMISSIONS[role].some((action) => RECORD_ACTIONS.includes(action) || action === 'accounts.manage');
}

export interface PendingAccount {
  id: string;
  ori: string;
  createdBy: string;
}

/** The approver as found among active persons' accounts; undefined for a system or anyone else. */
export interface Approver {
  id: string;
  ori: string;
  role: Role;
}

/**
 * Why `approver` may not approve `account`, or undefined when they may. The approver is a
 * person (signed in, not a system's token), an administrator, not the creator, and of the
 * owning agency; an agency with no administrator of its own besides the creator is vouched for
 * by the administrators of the agency that operates the gateway (`operatorOri`).
 */
export function approvalRefusal(account: PendingAccount, approver: Approver | undefined, ownAdministrators: readonly string[], operatorOri: string): string | undefined {
  if (!approver) return 'an account is approved by an administrator signed in as a person, not by a system';
  if (approver.role !== 'administrator') return 'only an administrator approves accounts';
  if (approver.id === account.createdBy) return 'the administrator who created an account may not also approve it';
  const vouching = ownAdministrators.some((id) => id !== account.createdBy) ? account.ori : operatorOri;
  if (approver.ori !== vouching) return `accounts of agency ${account.ori} are approved by an administrator of ${vouching}`;
  return undefined;
}
