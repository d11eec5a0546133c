import { describe, expect, it } from 'vitest';
import { faceLeadsWanted } from './face-search.ts';

describe('face leads in rapid identification', () => {
  it('searches the photo only when the prints are amber and the grant allows face searches', () => {
    expect(faceLeadsWanted('amber', { faces: 'search_leads' }, true)).toBe(true);
    expect(faceLeadsWanted('red', { faces: 'search_leads' }, true)).toBe(false);
    expect(faceLeadsWanted('green', { faces: 'search_leads' }, true)).toBe(false);
    expect(faceLeadsWanted('amber', { faces: 'verify' }, true)).toBe(false);
    expect(faceLeadsWanted('amber', { faces: 'search_leads' }, false)).toBe(false);
  });
});
