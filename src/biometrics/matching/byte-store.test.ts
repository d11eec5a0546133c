import { describe, expect, it } from 'vitest';
import { ByteStore } from './byte-store.ts';

describe('ByteStore', () => {
  it('keeps an empty string as its first, and strings on either side of a chunk’s end, each under its slot', () => {
    const store = new ByteStore();
    const big = new Uint8Array(3 * 1024 * 1024).fill(7);
    expect(store.put(new Uint8Array(0))).toBe(0);
    expect(store.put(Uint8Array.of(1, 2, 3))).toBe(1);
    expect(store.put(big)).toBe(2);
    expect(store.put(big)).toBe(3);
    expect(store.put(new Uint8Array(0))).toBe(4);
    expect(store.get(0).length).toBe(0);
    expect(Array.from(store.get(1))).toEqual([1, 2, 3]);
    for (const slot of [2, 3]) expect([store.get(slot).length, store.get(slot).every((b) => b === 7)]).toEqual([big.length, true]);
    expect(store.get(4).length).toBe(0);
    expect(store.size).toBe(5);
  });
});
