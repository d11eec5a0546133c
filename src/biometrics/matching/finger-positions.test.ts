import { describe, expect, it } from 'vitest';
import { compatible, positionBit, positionsReached } from './finger-positions.ts';

describe('finger positions', () => {
  it('reaches, as a mask, exactly the gallery positions a probe finger is compared with', () => {
    for (let probe = 0; probe <= 10; probe++) {
      for (let gallery = 0; gallery <= 10; gallery++) {
        expect((positionsReached(probe) & positionBit(gallery)) !== 0).toBe(compatible(probe, gallery));
      }
    }
    expect(compatible(3, 7)).toBe(false);
    expect(compatible(3, 0)).toBe(true);
    expect(compatible(0, 7)).toBe(true);
  });
});
