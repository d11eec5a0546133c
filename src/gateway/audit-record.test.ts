import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ID_BOUND, normaliseAuditEvent, storedText, TEXT_BOUND } from './audit-record.ts';

/** What the audit writer stores of what it is handed: text as text, bounded, escaped. */
describe('normalising an audit event', () => {
  const at = new Date('2026-12-04T10:00:00Z');
  const base = { component: 'gateway', event: 'history.refused', outcome: 'refused' };

  it('stores a value that is not text (a repeated query parameter) as its JSON, never raw', () => {
    const row = normaliseAuditEvent({ ...base, purpose: ['C', 'J'], tcn: 42, recordIds: ['4100009AB', 7, { id: 'x' }], fieldClasses: 'identity' }, 5, at);
    expect(row).toMatchObject({ seq: 5, at: '2026-12-04T10:00:00.000Z', purpose: '["C","J"]', tcn: '42', record_ids: ['4100009AB', '7', '{"id":"x"}'], field_classes: ['identity'], user_id: null, client: null });
  });

  it('cuts long text to a prefix and the digest of the whole, the bound exactly, and changes it no further', () => {
    const user = 'U'.repeat(900_000);
    const stored = normaliseAuditEvent({ ...base, userId: user }, 1, at).user_id!;
    const digest = createHash('sha256').update(user).digest('hex').slice(0, 32);
    expect(stored).toBe(`${'U'.repeat(ID_BOUND - 42)}…(sha256:${digest})`);
    expect(stored.length).toBe(ID_BOUND);
    expect(storedText(stored, ID_BOUND)).toBe(stored);
    const reason = storedText('r'.repeat(TEXT_BOUND + 1), TEXT_BOUND);
    expect(reason.length).toBe(TEXT_BOUND);
    expect(storedText('r'.repeat(TEXT_BOUND), TEXT_BOUND)).toBe('r'.repeat(TEXT_BOUND));
  });

  it('escapes control characters and bidirectional overrides, and replaces halves of surrogate pairs', () => {
    expect(storedText('admin\u202egnp.exe', ID_BOUND)).toBe('admin\\u202egnp.exe');
    expect(storedText('a\u0000b\nc\u2066d', ID_BOUND)).toBe('a\\u0000b\\u000ac\\u2066d');
    expect(storedText('x\ud800y\udc00', ID_BOUND)).toBe('x\uFFFDy\uFFFD');
    expect(storedText('👍 ok', ID_BOUND)).toBe('👍 ok');
    // The cut never splits a surrogate pair.
    const cut = storedText('a' + '👍'.repeat(100), ID_BOUND);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('leaves a missing required field missing, for the table to refuse', () => {
    expect(normaliseAuditEvent({ ...base, outcome: undefined }, 1, at).outcome).toBeNull();
  });
});
