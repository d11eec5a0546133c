import { CELLS, cellOf, DIRECTIONS, MAX_PROBE_CELLS, pairWay, probeCells, type Reach, type Pairs, WAYS } from './pair-features.ts';
import { mergedSegment, type Segment, sortedSegment } from './pair-segments.ts';

/**
 * The first stage of a 1:N search: an inverted index from minutia-pair cells (pair-features.ts)
 * to the fingers that hold such a pair. A probe's pairs vote for the fingers they find, each
 * probe pair at most once per finger, and each vote also says by how much the finger would have
 * to turn to lay its pair on the probe's: the true mate's votes agree on one turn, a stranger's
 * are spread over all of them. A finger's score is its votes at the best-agreeing turn, measured
 * against what chance gives a finger with as many pairs.
 *
 * Votes are weighted by how rare their cell is: a pair of a common shape (short, with the usual
 * angles) is found in many strangers and is weak evidence; a rare one is strong. The weight is
 * the square root of the mean cell's size over this cell's, at most MAX_RARITY, so that a nearly
 * empty cell, whose rarity is known poorly, cannot outvote several ordinary pairs.
 *
 * Entries are 32-bit: the finger's slot (26 bits) and its pair's direction (6 bits), so a million
 * fingers cost about 4 bytes per pair. They are kept by block of BLOCK slots, the unit a vote works
 * in, and within a block sorted by cell into a few segments (pair-segments.ts): a vote then reads
 * each cell's entries for a block as one short run, instead of taking up, for every block, its
 * place again in each of the long lists of the cells it reads.
 * Each batch of fingers filed makes a segment in each block it reaches; a segment is merged into
 * the one before it in its block once it is at least half that one's size, so a block holds only
 * a few and each entry is copied a few times at most.
 */

/** Turns between two prints, in 16ths of a full turn (22.5°); a finger's score adds two neighbouring ones. */
const TURNS = 16;
const DIRECTION_BITS = 6;
const MAX_RARITY = 3;
/** Slots voted for at a time: their vote table (64 bytes a slot) stays in a core's caches. */
const BLOCK_BITS = 14;
const BLOCK = 1 << BLOCK_BITS;
/** One block's votes and marks, shared by the indexes of a thread (a vote runs start to end without yielding). */
const blockScratch = { votes: new Float32Array(BLOCK * TURNS), stamp: new Uint32Array(BLOCK) };
export const MAX_SLOTS = 2 ** (32 - DIRECTION_BITS);

export interface Ranked {
  readonly slots: Int32Array;
  readonly scores: Float32Array;
}

export class PairIndex {
  /** Each block's segments, oldest first. */
  private blocks: Segment[][] = [];
  /** Entries per cell, over all blocks. */
  private readonly used = new Uint32Array(CELLS);
  /** Pairs each slot holds; 0 for a slot removed or never filled. */
  private pairCount = new Uint16Array(1024);
  private slots = 0;
  private pairsHeld = 0;
  // Search scratch, kept between searches.
  /** Each slot's votes at its best pair of neighbouring turns, from the last vote. */
  private best = new Float64Array(0);
  private reads = newReads(0);
  private readonly weight = new Float32Array(CELLS);
  /** Pairs held when the weights were last worked out. */
  private weighedAt = -1;
  private readonly cells = new Int32Array(MAX_PROBE_CELLS);
  // Filing scratch, kept between batches.
  private entryScratch = new Uint32Array(0);
  private cellScratch = new Uint32Array(0);

  /** Files a finger's pairs under `slot` (slots are given in increasing order, each once). */
  add(slot: number, pairs: Pairs): void {
    this.addAll([slot], [pairs]);
  }

  /** Files many fingers' pairs at once, `pairs[k]` under `slots[k]` (increasing, as for `add`), as one segment. */
  addAll(slots: ArrayLike<number>, pairs: readonly Pairs[]): void {
    let total = 0;
    let last = -1;
    for (let f = 0; f < slots.length; f++) {
      if (slots[f] >= MAX_SLOTS) throw new RangeError(`slot ${slots[f]} exceeds the index's ${MAX_SLOTS}`);
      last = Math.max(last, slots[f]);
      total += pairs[f].count;
    }
    if (last >= this.pairCount.length) this.pairCount = grown(this.pairCount, last + 1, (n) => new Uint16Array(n));
    if (this.entryScratch.length < total) {
      this.entryScratch = new Uint32Array(total);
      this.cellScratch = new Uint32Array(total);
    }
    const { entryScratch: entries, cellScratch: cells } = this;
    let e = 0;
    let blockStart = 0;
    for (let f = 0; f < slots.length; f++) {
      const slot = slots[f];
      const finger = pairs[f];
      this.slots = Math.max(this.slots, slot + 1);
      this.pairCount[slot] = Math.min(finger.count, 0xffff);
      this.pairsHeld += finger.count;
      for (let p = 0; p < finger.count; p++) {
        const cell = cellOf(finger.length[p], finger.startTurn[p], finger.endTurn[p]);
        this.used[cell]++;
        cells[e] = cell;
        entries[e++] = ((slot << DIRECTION_BITS) | (Math.floor(finger.direction[p] * DIRECTIONS) & (DIRECTIONS - 1))) >>> 0;
      }
      const block = slot >> BLOCK_BITS;
      if (f + 1 === slots.length || slots[f + 1] >> BLOCK_BITS !== block) {
        this.file(block, cells.subarray(blockStart, e), entries.subarray(blockStart, e));
        blockStart = e;
      }
    }
  }

  /** Adds one block's new entries to it as a segment, merging segments of like size. */
  private file(block: number, cells: Uint32Array, entries: Uint32Array): void {
    if (entries.length === 0) return;
    while (this.blocks.length <= block) this.blocks.push([]);
    const segments = this.blocks[block];
    segments.push(sortedSegment(cells, entries, entries.length));
    for (let n = segments.length; n >= 2 && segments[n - 2].entries.length <= 2 * segments[n - 1].entries.length; n--) {
      segments.splice(n - 2, 2, mergedSegment(segments.slice(n - 2)));
    }
  }

  /** Leaves a slot out of every later search; its entries stay until the index is rebuilt. */
  remove(slot: number): void {
    if (slot < this.slots) this.pairCount[slot] = 0;
  }

  /** Bytes the index holds (entries and per-slot counts), for memory accounting. */
  get bytes(): number {
    let total = this.pairCount.byteLength;
    for (const segments of this.blocks) for (const segment of segments) total += segment.entries.byteLength + segment.start.byteLength;
    return total;
  }

  /** Merges each block's segments into one, as after a bulk load: a search then reads one run per cell and block. */
  compact(): void {
    this.blocks = this.blocks.map((segments) => (segments.length > 1 ? [mergedSegment(segments)] : segments));
  }

  /** The `limit` best-scoring slots for a probe's pairs, best first. */
  search(probe: Pairs, limit: number, reach: Reach): Ranked {
    const votesCast = this.vote(probe, this.cellWeights(), reach);
    return this.ranked(limit, { votesCast, pairsHeld: this.pairsHeld });
  }

  /**
   * Lets a probe's pairs vote, each weighed by `weight` of its cell; returns the votes cast. Then
   * `ranked`. Indexes searched together (PositionIndexes) share their weights and their chance, so
   * that their scores can be compared.
   *
   * Fingers are voted for a block of BLOCK slots at a time, so that the block's vote table (per
   * slot and turn) stays in the processor's cache instead of spreading random writes over a table
   * 64 bytes a finger long. Only each finger's best-turn votes are kept.
   */
  vote(probe: Pairs, weight: Float32Array, reach: Reach): number {
    const slots = this.slots;
    if (this.best.length < slots) this.best = new Float64Array(Math.ceil(slots * 1.25));
    const reads = this.probeReads(probe, weight, reach);
    const { best, blocks } = this;
    const { votes, stamp } = blockScratch;
    const { cell, readWeight, readDirection, readMark } = reads;
    let cast = 0;
    for (let b = 0, first = 0; first < slots; b++, first += BLOCK) {
      const end = Math.min(slots, first + BLOCK);
      votes.fill(0, 0, (end - first) * TURNS);
      stamp.fill(0, 0, end - first);
      const segments = blocks[b] ?? [];
      for (let s = 0; s < segments.length; s++) {
        const { entries, start } = segments[s];
        for (let r = 0; r < reads.count; r++) {
          const c = cell[r];
          const to = start[c + 1];
          const w = readWeight[r];
          const probeDirection = readDirection[r];
          const mark = readMark[r];
          for (let k = start[c]; k < to; k++) {
            const entry = entries[k];
            const own = (entry >>> DIRECTION_BITS) - first;
            if (stamp[own] === mark) continue;
            stamp[own] = mark;
            votes[own * TURNS + (((probeDirection - (entry & (DIRECTIONS - 1))) & (DIRECTIONS - 1)) >>> 2)] += w;
          }
        }
      }
      for (let own = 0; own < end - first; own++) {
        const base = own * TURNS;
        let top = 0;
        let previous = votes[base + TURNS - 1];
        for (let t = 0; t < TURNS; t++) {
          const v = votes[base + t];
          cast += v;
          if (v + previous > top) top = v + previous;
          previous = v;
        }
        best[first + own] = top;
      }
    }
    return cast;
  }

  /** The cells a probe reads, with each read's weight, direction and mark (its pair's number: a pair votes once per finger). */
  private probeReads(probe: Pairs, weight: Float32Array, reach: Reach): ProbeReads {
    const most = probe.count * 2 * MAX_PROBE_CELLS;
    if (this.reads.cell.length < most) this.reads = newReads(most);
    const reads = this.reads;
    const { cells } = this;
    let count = 0;
    for (let p = 0; p < probe.count; p++) {
      for (const way of WAYS) {
        const [start, end, direction] = pairWay(probe, p, way);
        const probeDirection = Math.floor(direction * DIRECTIONS);
        const n = probeCells(probe.length[p], start, end, cells, reach);
        for (let c = 0; c < n; c++) {
          reads.cell[count] = cells[c];
          reads.readWeight[count] = weight[cells[c]];
          reads.readDirection[count] = probeDirection;
          reads.readMark[count] = p + 1;
          count++;
        }
      }
    }
    reads.count = count;
    return reads;
  }

  /** Each cell's vote weight (its rarity), up to date with what the index holds. */
  cellWeights(): Float32Array {
    if (this.weighedAt !== this.pairsHeld) {
      rarityWeights(this.used, this.pairsHeld, this.weight);
      this.weighedAt = this.pairsHeld;
    }
    return this.weight;
  }

  /** Entries per cell, for weights shared by several indexes. */
  get cellCounts(): Uint32Array {
    return this.used;
  }

  /** Pairs held. */
  get pairs(): number {
    return this.pairsHeld;
  }

  /**
   * The `limit` best slots by the last vote. Chance votes grow with the pairs a finger holds (more
   * pairs, more chance agreements), so a finger's best-turn votes are scored as a z-score against
   * the votes its pairs would draw by chance at one turn: the votes cast per pair held, over this
   * index or over all those `chance` counts.
   */
  ranked(limit: number, chance: { votesCast: number; pairsHeld: number }): Ranked {
    const { best: votes, pairCount } = this;
    const chancePerPair = chance.pairsHeld > 0 ? (chance.votesCast / chance.pairsHeld) * (2 / TURNS) : 0;
    // The best so far in a heap whose root is the worst of them (the lower score, or the later slot at
    // a tie), so that a long list costs a few steps per finger that enters it, not a shift of the list.
    const heapSlots = new Int32Array(limit);
    const heapScores = new Float32Array(limit);
    let kept = 0;
    for (let slot = 0; slot < this.slots; slot++) {
      const pairs = pairCount[slot];
      if (pairs === 0) continue;
      const expected = chancePerPair * pairs;
      const score = Math.fround((votes[slot] - expected) / Math.sqrt(expected + 1));
      if (kept < limit) {
        siftUp(heapSlots, heapScores, kept++, slot, score);
      } else if (limit > 0 && score > heapScores[0]) {
        siftDown(heapSlots, heapScores, kept, slot, score);
      }
    }
    const order = Array.from({ length: kept }, (_, k) => k).sort((a, b) => heapScores[b] - heapScores[a] || heapSlots[a] - heapSlots[b]);
    return { slots: Int32Array.from(order, (k) => heapSlots[k]), scores: Float32Array.from(order, (k) => heapScores[k]) };
  }
}

/** Whether (score a, slot a) ranks below (score b, slot b): a lower score, or a later slot at a tie. */
function worse(scoreA: number, slotA: number, scoreB: number, slotB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && slotA > slotB);
}

function siftUp(slots: Int32Array, scores: Float32Array, at: number, slot: number, score: number): void {
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!worse(score, slot, scores[parent], slots[parent])) break;
    slots[at] = slots[parent];
    scores[at] = scores[parent];
    at = parent;
  }
  slots[at] = slot;
  scores[at] = score;
}

/** Puts (slot, score) in place of the root, the worst, and moves it down to its place. */
function siftDown(slots: Int32Array, scores: Float32Array, count: number, slot: number, score: number): void {
  let at = 0;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= count) break;
    if (child + 1 < count && worse(scores[child + 1], slots[child + 1], scores[child], slots[child])) child++;
    if (!worse(scores[child], slots[child], score, slot)) break;
    slots[at] = slots[child];
    scores[at] = scores[child];
    at = child;
  }
  slots[at] = slot;
  scores[at] = score;
}

/** Each cell's vote weight from the entries per cell: the square root of the mean cell's size over this cell's, at most MAX_RARITY. */
export function rarityWeights(used: Uint32Array, pairsHeld: number, into: Float32Array = new Float32Array(CELLS)): Float32Array {
  const mean = pairsHeld / CELLS;
  for (let c = 0; c < CELLS; c++) into[c] = Math.min(MAX_RARITY, Math.sqrt(mean / (used[c] + 1)));
  return into;
}

/** A longer copy of a typed array: at least `atLeast` long, and half as long again, so that growing one element at a time costs little. */
export function grown<T extends Uint16Array | Uint32Array>(array: T, atLeast: number, make: (length: number) => T): T {
  const bigger = make(Math.max(atLeast, Math.ceil(array.length * 1.5) + 4));
  bigger.set(array);
  return bigger;
}

interface ProbeReads {
  count: number;
  readonly cell: Int32Array;
  readonly readWeight: Float32Array;
  readonly readDirection: Int32Array;
  readonly readMark: Uint32Array;
}

function newReads(length: number): ProbeReads {
  return { count: 0, cell: new Int32Array(length), readWeight: new Float32Array(length), readDirection: new Int32Array(length), readMark: new Uint32Array(length) };
}
