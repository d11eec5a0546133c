import { describe, expect, it } from 'vitest';
import { rapidAnswer } from './rapid-identification.ts';
import { grantFor } from './dissemination-policy.ts';

/** The rapid identification answer: who may be named, and beside what. */
const local = grantFor({ agencyType: 'local', role: 'field_officer' }, 'C');
const port = grantFor({ agencyType: 'federal_immigration', role: 'port_officer' }, 'C');
const none = { level: 'none' as const, wanted: [], arrests: 0 };

describe('rapid identification answers', () => {
  it('never names a possible candidate, least of all beside another person’s identifier', () => {
    const possible = { level: 'possible' as const, fbiNumber: '4100001AB', name: 'OTHER, PERSON', wanted: [], arrests: 1 };
    const violator = { match: true, level: 'identified' as const, fin: 'FIN100000009', summary: { fin: 'FIN100000009', names: ['SILVA, YUKI'], statusClass: 'nonimmigrant B2', encounters: 1, flags: ['overstay'] } };
    const { answer } = rapidAnswer('T-1', 'C', port, possible, violator, true);
    expect(answer.summary).toMatchObject({ name: 'SILVA, YUKI', fin: 'FIN100000009', fbiNumber: undefined });
    const alone = rapidAnswer('T-2', 'C', local, possible, undefined, true).answer;
    expect(alone.color).toBe('amber');
    expect(alone.summary).toEqual({ name: undefined, fbiNumber: undefined, fin: undefined, category: 'possible match: an examiner must confirm it before anything is said of the person', caveats: [], matchLevel: 'possible' });
  });

  it('gives a local agency the FIN and flags of a violator but not the immigration name (IDR summary)', () => {
    const removed = { match: true, level: 'identified' as const, fin: 'FIN1', summary: { fin: 'FIN1', names: ['DOE, JANE'], statusClass: 'x', encounters: 1, flags: ['removed'] } };
    const { answer } = rapidAnswer('T-3', 'C', local, none, removed, true);
    expect(answer).toMatchObject({ color: 'red', summary: { fin: 'FIN1', category: 'immigration: removed' } });
    expect(answer.summary.name).toBeUndefined();
  });

  it('does not put a traveller’s FIN beside a criminal record the identity links do not tie it to', () => {
    const arrested = { level: 'identified' as const, fbiNumber: '4100015AB', name: 'NGUYEN, MINH', wanted: [], arrests: 1 };
    const flagged = { match: true, level: 'identified' as const, fin: 'FIN100000013', summary: { fin: 'FIN100000013', names: ['ANOTHER, ONE'], statusClass: 'x', encounters: 1, flags: ['watchlist'] } };
    const { answer } = rapidAnswer('T-5', 'C', port, arrested, flagged, true, false);
    expect(answer.color).toBe('amber');
    expect(answer.summary).toMatchObject({ name: 'NGUYEN, MINH', fbiNumber: '4100015AB', fin: undefined });
    expect(answer.summary.category).toContain('an examiner must confirm it is the same person');
    expect(rapidAnswer('T-6', 'C', port, arrested, flagged, true, true).answer).toMatchObject({ color: 'red', summary: { fin: 'FIN100000013' } });
  });

  it('says the immigration repository was left out by policy, not that it failed', () => {
    const { answer } = rapidAnswer('T-4', 'J', { ...local, immigration: 'none' }, none, undefined, false);
    expect(answer).toMatchObject({ color: 'green', withheld: true, immigrationAvailable: false });
  });

  it('never answers green from a search of part of the criminal gallery', () => {
    const { answer } = rapidAnswer('T-7', 'C', local, { ...none, incomplete: { answered: 1, shards: 2 } }, undefined, false);
    expect(answer.color).toBe('amber');
    expect(answer.searchIncomplete).toBe('search incomplete: 1 of 2 shards answered');
    expect(answer.summary.category).toMatch(/^search incomplete: 1 of 2 shards answered: .*no clearance/);
    expect(rapidAnswer('T-8', 'C', local, none, undefined, false).answer.searchIncomplete).toBeUndefined();
  });
});
