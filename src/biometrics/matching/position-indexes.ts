import type { Pairs } from './pair-features.ts';
import { PairIndex } from './pair-index.ts';

/** A finger the first stage found: its slot in the shard, its index score, and the rarity weights of the index that found it. */
export interface Voted {
  slot: number;
  score: number;
  weight: Float32Array;
}

interface PositionIndex {
  index: PairIndex;
  /** The shard's slot of each of this index's own slots. */
  slots: Uint32Array<ArrayBuffer>;
  count: number;
}

/**
 * The first stage's index, one per finger position: a probe finger is looked up among the fingers
 * of its own position and those of unknown position (0) only, which it is the only one allowed to
 * match. In a gallery of ten-prints a search then reads a tenth of the fingers, and the true mate
 * competes with a tenth as many strangers. A probe of unknown position reads every index.
 *
 * Each index numbers its fingers from 0 (its vote tables are as long as it holds fingers) and
 * keeps the shard's slot of each.
 */
export class PositionIndexes {
  private readonly byPosition = new Map<number, PositionIndex>();
  /** Each shard slot's number within its position's index. */
  private own: Uint32Array<ArrayBuffer> = new Uint32Array(1024);

  /** Files fingers: `pairs[k]` of the finger in shard slot `slots[k]`, at `positions[k]` (slots increasing). */
  addAll(slots: readonly number[], positions: readonly number[], pairs: readonly Pairs[]): void {
    const groups = new Map<number, number[]>();
    positions.forEach((position, k) => {
      let group = groups.get(position);
      if (!group) groups.set(position, (group = []));
      group.push(k);
    });
    for (const [position, members] of groups) {
      const held = this.indexOf(position);
      const own: number[] = [];
      for (const k of members) {
        if (held.count === held.slots.length) held.slots = grown(held.slots, held.count + 1);
        if (slots[k] >= this.own.length) this.own = grown(this.own, slots[k] + 1);
        held.slots[held.count] = slots[k];
        this.own[slots[k]] = held.count;
        own.push(held.count++);
      }
      held.index.addAll(own, members.map((k) => pairs[k]));
    }
  }

  /** Leaves the finger in `slot` (held at `position`) out of every later search. */
  remove(slot: number, position: number): void {
    this.byPosition.get(position)?.index.remove(this.own[slot]);
  }

  compact(): void {
    for (const { index } of this.byPosition.values()) index.compact();
  }

  get bytes(): number {
    let total = this.own.byteLength;
    for (const { index, slots } of this.byPosition.values()) total += index.bytes + slots.byteLength;
    return total;
  }

  /** The `limit` best-voted fingers a probe finger at `position` may match, over the indexes it reads, best first. */
  search(position: number, probe: Pairs, limit: number): Voted[] {
    const found: Voted[] = [];
    for (const [held, { index, slots }] of this.byPosition) {
      if (position !== 0 && held !== 0 && held !== position) continue;
      const ranked = index.search(probe, limit);
      const weight = index.cellWeights();
      for (let k = 0; k < ranked.slots.length; k++) found.push({ slot: slots[ranked.slots[k]], score: ranked.scores[k], weight });
    }
    // One index's list is in order already; several are merged (their scores are measured against chance alike).
    if (found.length > limit) found.sort((a, b) => b.score - a.score).length = limit;
    else if (this.byPosition.size > 1) found.sort((a, b) => b.score - a.score);
    return found;
  }

  private indexOf(position: number): PositionIndex {
    let held = this.byPosition.get(position);
    if (!held) this.byPosition.set(position, (held = { index: new PairIndex(), slots: new Uint32Array(1024), count: 0 }));
    return held;
  }
}

function grown(array: Uint32Array<ArrayBuffer>, atLeast: number): Uint32Array<ArrayBuffer> {
  const bigger = new Uint32Array(Math.max(atLeast, Math.ceil(array.length * 1.5)));
  bigger.set(array);
  return bigger;
}
