import { cellOf, probeCells, reversed, type MinutiaPoints, type Pairs } from './pair-features.ts';

/**
 * The first stage's second look: the index (pair-index.ts) asks only whether a finger's pairs
 * agree with the probe's on one turn; a stranger's chance agreements lie all over the print, a
 * mate's sit where one motion, turn and shift, lays the finger on the probe. So each of the
 * index's best-voted fingers gets its pairs worked out again from its template, each pair that
 * shares a cell with a probe pair votes for the turn and shift that would lay it on the probe's,
 * and the finger scores its votes at the best-agreeing motion.
 *
 * Votes carry the index's rarity weights. Motions are binned coarsely (a sixteenth of a turn, 48
 * px) and a finger's score adds the neighbouring bins, because skin stretches and a short pair's
 * direction is uncertain by several degrees.
 */
const TURN_BINS = 16;
const SHIFT_BIN = 48;
/** Shifts beyond this (pixels, either axis) lay no part of the finger on the probe's print. */
const MAX_SHIFT = 768;
const SHIFT_BINS = Math.ceil((2 * MAX_SHIFT) / SHIFT_BIN);
const TWO_PI = 2 * Math.PI;

/** A probe's pairs laid out for the second look: for each cell, the probe pairs (either way round) a finger's pair there may match. */
export class ProbeLayout {
  private readonly byCell = new Map<number, number[]>();
  /** Per entry (a probe pair read one way round): its direction (radians) and midpoint, y pointing up. */
  private readonly direction: number[] = [];
  private readonly midX: number[] = [];
  private readonly midY: number[] = [];
  // Scratch, kept between fingers.
  private readonly votes = new Float32Array(TURN_BINS * SHIFT_BINS * SHIFT_BINS);
  private readonly stamp = new Uint32Array(TURN_BINS * SHIFT_BINS * SHIFT_BINS);
  private readonly touched: number[] = [];
  private mark = 0;

  constructor(points: MinutiaPoints, pairs: Pairs) {
    const cells = new Int32Array(8);
    for (let p = 0; p < pairs.count; p++) {
      const midX = (points.x[pairs.first[p]] + points.x[pairs.second[p]]) / 2;
      const midY = -(points.y[pairs.first[p]] + points.y[pairs.second[p]]) / 2;
      for (let way = 0; way < 2; way++) {
        const [start, end, direction] = way === 0 ? [pairs.startTurn[p], pairs.endTurn[p], pairs.direction[p]] : reversed(pairs.startTurn[p], pairs.endTurn[p], pairs.direction[p]);
        const entry = this.direction.length;
        this.direction.push(direction * TWO_PI);
        this.midX.push(midX);
        this.midY.push(midY);
        const n = probeCells(pairs.length[p], start, end, cells);
        for (let c = 0; c < n; c++) {
          let list = this.byCell.get(cells[c]);
          if (!list) this.byCell.set(cells[c], (list = []));
          list.push(entry);
        }
      }
    }
  }

  /** How well one motion lays `finger`'s pairs on the probe's: weighted votes at the best motion, over the square root of the finger's pairs (more pairs, more chance agreements). */
  score(points: MinutiaPoints, pairs: Pairs, weight: Float32Array): number {
    const { votes, stamp, touched } = this;
    const mark = ++this.mark;
    touched.length = 0;
    for (let k = 0; k < pairs.count; k++) {
      const cell = cellOf(pairs.length[k], pairs.startTurn[k], pairs.endTurn[k]);
      const entries = this.byCell.get(cell);
      if (!entries) continue;
      const x = (points.x[pairs.first[k]] + points.x[pairs.second[k]]) / 2;
      const y = -(points.y[pairs.first[k]] + points.y[pairs.second[k]]) / 2;
      const direction = pairs.direction[k] * TWO_PI;
      for (const e of entries) {
        let turn = this.direction[e] - direction;
        turn -= Math.floor(turn / TWO_PI) * TWO_PI;
        const cos = Math.cos(turn);
        const sin = Math.sin(turn);
        const shiftX = Math.floor((this.midX[e] - (x * cos - y * sin) + MAX_SHIFT) / SHIFT_BIN);
        const shiftY = Math.floor((this.midY[e] - (x * sin + y * cos) + MAX_SHIFT) / SHIFT_BIN);
        if (shiftX < 0 || shiftY < 0 || shiftX >= SHIFT_BINS || shiftY >= SHIFT_BINS) continue;
        const bin = ((Math.floor((turn / TWO_PI) * TURN_BINS) % TURN_BINS) * SHIFT_BINS + shiftX) * SHIFT_BINS + shiftY;
        if (stamp[bin] !== mark) {
          stamp[bin] = mark;
          votes[bin] = 0;
          touched.push(bin);
        }
        votes[bin] += weight[cell];
      }
    }
    // The best 2 × 2 × 2 block of neighbouring bins (turns wrap around).
    let best = 0;
    for (const bin of touched) {
      const turn = Math.floor(bin / (SHIFT_BINS * SHIFT_BINS));
      const shiftX = Math.floor(bin / SHIFT_BINS) % SHIFT_BINS;
      const shiftY = bin % SHIFT_BINS;
      let sum = 0;
      for (let dt = 0; dt < 2; dt++) {
        const t = (turn + dt) % TURN_BINS;
        for (let dx = 0; dx < 2 && shiftX + dx < SHIFT_BINS; dx++) {
          for (let dy = 0; dy < 2 && shiftY + dy < SHIFT_BINS; dy++) {
            const other = (t * SHIFT_BINS + shiftX + dx) * SHIFT_BINS + shiftY + dy;
            if (stamp[other] === mark) sum += votes[other];
          }
        }
      }
      if (sum > best) best = sum;
    }
    return best / Math.sqrt(pairs.count + 20);
  }
}
