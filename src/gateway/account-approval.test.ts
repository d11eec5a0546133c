import { describe, expect, it } from 'vitest';
import { ROLES } from './access.ts';
import { approvalRefusal, needsSecondApprover } from './account-approval.ts';

describe('the two-person rule for accounts', () => {
  it('holds every role that reads records, and administrators, who could approve', () => {
    expect(ROLES.filter((role) => !needsSecondApprover(role))).toEqual([]);
  });

  it('takes an administrator of the owning agency other than the creator, or of the operator when the agency has none', () => {
    const account = { id: 'new.user', ori: 'TX0570000', createdBy: 'moss' };
    const admin = (id: string, ori: string) => ({ id, ori, role: 'administrator' as const });
    expect(approvalRefusal(account, admin('moss', 'DCFBI0000'), [], 'DCFBI0000')).toMatch(/created/);
    expect(approvalRefusal(account, undefined, [], 'DCFBI0000')).toMatch(/not by a system/);
    expect(approvalRefusal(account, { id: 'walsh', ori: 'TX0570000', role: 'booking_officer' }, [], 'DCFBI0000')).toMatch(/only an administrator/);
    expect(approvalRefusal(account, admin('ito', 'DCFBI0000'), [], 'DCFBI0000')).toBeUndefined();
    expect(approvalRefusal(account, admin('ito', 'DCFBI0000'), ['moss'], 'DCFBI0000')).toBeUndefined(); // the creator alone does not count
    expect(approvalRefusal(account, admin('ito', 'DCFBI0000'), ['reyes'], 'DCFBI0000')).toMatch(/administrator of TX0570000/);
    expect(approvalRefusal(account, admin('reyes', 'TX0570000'), ['reyes'], 'DCFBI0000')).toBeUndefined();
  });
});
