import { describe, expect, it } from 'vitest';
import { parseSubmissionDescription } from './submission-description.ts';

const now = new Date('2026-01-02T03:04:05Z');

describe('the JSON description of `ebts make`', () => {
  it('accepts shorthands beside a full subject', () => {
    const { request, positions } = parseSubmissionDescription({ tot: 'rpis', ori: 'NY0303000', tcn: 'T1', name: 'DOE,JANE', positions: [2, 7], subject: { aliases: ['ROE,JANE'] } }, now);
    expect(request).toMatchObject({ tot: 'RPIS', ori: 'NY0303000', tcn: 'T1', at: now, subject: { name: 'DOE,JANE', aliases: ['ROE,JANE'] } });
    expect(positions).toEqual([2, 7]);
  });

  it('names the key at fault', () => {
    const fault = (json: unknown) => {
      try {
        parseSubmissionDescription(json, now);
      } catch (error) {
        return (error as { code: string; where: { field: string } });
      }
    };
    expect(fault({ tot: 'XYZ', ori: 'A', tcn: 'B' })).toMatchObject({ code: 'BAD_ARGUMENT', where: { field: 'tot' } });
    expect(fault({ tot: 'CAR', tcn: 'B' })).toMatchObject({ where: { field: 'ori' } });
    expect(fault({ tot: 'CAR', ori: 'A', tcn: 'B', subject: { shoeSize: '9' } })).toMatchObject({ where: { field: 'subject.shoeSize' } });
    expect(fault({ tot: 'CAR', ori: 'A', tcn: 'B', positions: [1, 16] })).toMatchObject({ where: { field: 'positions' } });
    expect(fault([])).toMatchObject({ where: { field: '$' } });
  });
});
