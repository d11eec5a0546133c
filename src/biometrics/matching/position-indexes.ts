import { CELLS, type Pairs, type Reach } from './pair-features.ts';
import { compatible } from './finger-positions.ts';
import { grown, PairIndex, rarityWeights } from './pair-index.ts';

/** A finger the index found: its slot in the shard and its index score. */
export interface Voted {
  slot: number;
  score: number;
}

interface PositionIndex {
  index: PairIndex;
  /** The shard's slot of each of this index's own slots. */
  slots: Uint32Array;
  count: number;
}

/**
 * The first stage's index, one per finger position: a probe finger is looked up among the fingers
 * of its own position and those of unknown position (0) only, which it is the only one allowed to
 * match. In a gallery of ten-prints a search then reads a tenth of the fingers, and the true mate
 * competes with a tenth as many strangers. A probe of unknown position reads every index.
 *
 * Each index numbers its fingers from 0 (its vote tables are as long as it holds fingers) and
 * keeps the shard's slot of each. The indexes a probe reads share one set of rarity weights and
 * one measure of chance, both worked out over all of them, so that a finger's score does not
 * depend on how many others share its index: a small index (the few fingers of unknown position)
 * would otherwise weigh and score its fingers on a scale of its own.
 */
export class PositionIndexes {
  private readonly byPosition = new Map<number, PositionIndex>();
  /** Each shard slot's number within its position's index. */
  private own = new Uint32Array(1024);
  /** Rarity weights per probe position (over the indexes it reads), and the pairs those held when they were worked out. */
  private readonly weights = new Map<number, { weight: Float32Array; weighedAt: number }>();

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
        if (held.count === held.slots.length) held.slots = grown(held.slots, held.count + 1, (n) => new Uint32Array(n));
        if (slots[k] >= this.own.length) this.own = grown(this.own, slots[k] + 1, (n) => new Uint32Array(n));
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
  search(position: number, probe: Pairs, limit: number, reach: Reach): Voted[] {
    const read = this.indexesRead(position);
    const weight = this.cellWeights(position, read);
    const chance = { votesCast: 0, pairsHeld: 0 };
    for (const { index } of read) {
      chance.votesCast += index.vote(probe, weight, reach);
      chance.pairsHeld += index.pairs;
    }
    const fingers: Voted[] = [];
    for (const { index, slots } of read) {
      const ranked = index.ranked(limit, chance);
      for (let k = 0; k < ranked.slots.length; k++) fingers.push({ slot: slots[ranked.slots[k]], score: ranked.scores[k] });
    }
    if (read.length > 1) fingers.sort((a, b) => b.score - a.score);
    if (fingers.length > limit) fingers.length = limit;
    return fingers;
  }

  /** The weights a probe finger at `position` votes with, for a shift vote (shift-votes.ts) on what its vote found. */
  weightsFor(position: number): Float32Array {
    return this.cellWeights(position, this.indexesRead(position));
  }

  private indexesRead(position: number): PositionIndex[] {
    return [...this.byPosition].filter(([own]) => compatible(position, own)).map(([, held]) => held);
  }

  /** Each cell's vote weight (its rarity) over the indexes a probe at `position` reads. */
  private cellWeights(position: number, read: readonly PositionIndex[]): Float32Array {
    if (read.length === 1) return read[0].index.cellWeights();
    let pairs = 0;
    for (const { index } of read) pairs += index.pairs;
    let held = this.weights.get(position);
    if (!held) this.weights.set(position, (held = { weight: new Float32Array(CELLS), weighedAt: -1 }));
    if (held.weighedAt !== pairs) {
      const used = new Uint32Array(CELLS);
      for (const { index } of read) {
        const counts = index.cellCounts;
        for (let c = 0; c < CELLS; c++) used[c] += counts[c];
      }
      rarityWeights(used, pairs, held.weight);
      held.weighedAt = pairs;
    }
    return held.weight;
  }

  private indexOf(position: number): PositionIndex {
    let held = this.byPosition.get(position);
    if (!held) this.byPosition.set(position, (held = { index: new PairIndex(), slots: new Uint32Array(1024), count: 0 }));
    return held;
  }
}
