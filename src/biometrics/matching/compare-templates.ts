import { NO_RIDGES } from '../template.ts';
import { GRID_CELL, normalize, type PreparedTemplate } from './prepared-template.ts';
import { LEAST_EVIDENCE_SCORE } from './calibration.ts';
import { ANGLE_TOLERANCE, edgeIndexOf, LENGTH_TOLERANCE, LENGTH_TOLERANCE_RELATIVE } from './edge-index.ts';

/**
 * 1:1 comparison of two prepared templates.
 *
 * 1. Root pairs: edges of the two templates with the same length and the same angles to their end
 *    minutiae vote for the pairs of minutiae at their ends; the pairs with most votes (minutiae
 *    whose neighbourhoods agree) become candidate roots.
 * 2. Growth: from each root, agreeing edges lead to further pairs, best-agreeing edge first, like a
 *    spanning tree over the two edge graphs. Each step checks one edge — a local measurement — so
 *    the pairing bends with skin distortion instead of breaking on it, while a loose check against
 *    the root's rigid alignment stops it drifting onto a neighbouring ridge.
 * 3. Extension: minutiae the growth could not reach through an agreeing edge (their neighbours
 *    were missed or invented by the extractor) are paired where a paired neighbour predicts them.
 * 4. Score: the best root's pairing: paired minutiae, the edges among them both templates agree
 *    on, and how much of the two prints the pairing explains; then weighed by how well one rigid
 *    motion explains the pairing and by how alike the two prints' ridges flow where it lays one
 *    over the other (when both templates carry an orientation map): chance pairings of different
 *    fingers rarely also hold to one motion and align their ridge flow.
 */

/** How many root pairs are tried; more finds more partial overlaps, at linear cost. */
const MAX_ROOTS = 8;
/** Drift allowed from the root's rigid alignment: a base plus a share of the distance to the root. */
const DRIFT_BASE = 20;
const DRIFT_RELATIVE = 0.2;

/** How far (pixels) and how differently turned (radians) a minutia may lie from where its paired neighbour predicts it. */
const EXTENSION_DISTANCE = 12;
const EXTENSION_ANGLE = 0.5;
/** Minutiae farther than this from every paired one are left alone: too far for a prediction to hold. */
const EXTENSION_REACH = 100;

/**
 * Only a growth at least this share of the largest one so far is extended: the best pairing
 * comes from a large growth, and extending the many small ones of an impostor would cost time for
 * nothing.
 */
const EXTEND_SHARE = 0.8;
/**
 * Nor is a growth of three pairs: one triangle, which two different fingers agree on almost
 * everywhere. Leaving them took the matcher bench from 17,267 to 19,526 comparisons/s (2026-12-01);
 * on the FVC2002 sets it changed no error rate, on the synthetic 100 × 8 set one genuine
 * comparison in 2,800 at FMR 1%.
 */
const MIN_EXTENDED_GROWTH = 4;

/**
 * The weight of a pairing without ridge-flow evidence (a template without a map, as ISO records
 * are, or too small an overlap). Checking flow and rigid consistency (both need maps) takes
 * impostor pairings down; this scale takes unchecked ones down as much, so one calibration serves
 * both. On the FVC2002 DB1-B and DB2-B impostors (`npm run bench -- calibration`, 2026-12-01),
 * the score that 1% of them reach is 6.00 with maps and 12.34 without, a ratio of 0.486; at
 * 0.1% it is 0.50 (8.31 against 16.63). Rounded down, the scale keeps false-match rates stated
 * for unchecked comparisons on the high, safe side.
 */
export const NO_FLOW_SCALE = 0.48;

const TWO_PI = 2 * Math.PI;

// Scratch buffers reused between calls: comparisons run millions of times in a search.
let largestGrowth = 0;
/** Pairs in the last growth; the best growth's pairing, kept while later roots are tried. */
let grownTail = 0;
let bestCount = 0;
let bestOrder = new Int32Array(0);
let bestPartner = new Int32Array(0);
let votes = new Uint16Array(0);
/** Vote cells that reached two votes in the last findRoots, each once: the only pairs that can be roots. */
let rootable = new Int32Array(64);
/**
 * The probe edges that agree with each candidate edge, as findRoots found them (CSR over candidate
 * edges, in the edge index's order): growth reads them instead of checking the index's cell again.
 */
let agreeStart = new Int32Array(0);
let agreeEdge = new Int32Array(256);
let pairedProbe = new Int32Array(0);
let pairedCandidate = new Int32Array(0);
let queue = new Int32Array(0);
let covered = new Int32Array(0);
let proposals = new Float64Array(0);

function ensureCapacity(probeCount: number, candidateCount: number): void {
  if (votes.length < probeCount * candidateCount) votes = new Uint16Array(probeCount * candidateCount * 2);
  const most = Math.max(probeCount, candidateCount);
  if (pairedProbe.length < most) {
    pairedProbe = new Int32Array(most * 2);
    pairedCandidate = new Int32Array(most * 2);
    queue = new Int32Array(most * 2);
    covered = new Int32Array(most * 2);
    bestOrder = new Int32Array(most * 2);
    bestPartner = new Int32Array(most * 2);
  }
}

/** Adds a proposed pair (probe i, candidate j) with its error; returns the new count. */
function propose(count: number, error: number, i: number, j: number): number {
  if (proposals.length < (count + 1) * 3) {
    const grown = new Float64Array(proposals.length * 2 + 96);
    grown.set(proposals);
    proposals = grown;
  }
  proposals[count * 3] = error;
  proposals[count * 3 + 1] = i;
  proposals[count * 3 + 2] = j;
  return count + 1;
}

/** The proposal with the least error not yet taken, marked taken; -1 when none is left. Lists are short, so a scan beats a heap. */
function takeBestProposal(count: number): number {
  let best = -1;
  let bestError = Infinity;
  for (let k = 0; k < count; k++) {
    if (proposals[k * 3] < bestError) {
      bestError = proposals[k * 3];
      best = k;
    }
  }
  if (best >= 0) proposals[best * 3] = Infinity;
  return best;
}

function angleDifference(a: number, b: number): number {
  const d = Math.abs(a - b);
  return d > Math.PI ? TWO_PI - d : d;
}

/** True when edge e of the probe and edge f of the candidate have the same geometry. */
function edgesAgree(probe: PreparedTemplate, e: number, candidate: PreparedTemplate, f: number): boolean {
  const length = probe.edgeLength[e];
  const dl = candidate.edgeLength[f] - length;
  const tolerance = LENGTH_TOLERANCE + LENGTH_TOLERANCE_RELATIVE * length;
  return dl <= tolerance && dl >= -tolerance &&
    angleDifference(probe.edgeStartAngle[e], candidate.edgeStartAngle[f]) <= ANGLE_TOLERANCE &&
    angleDifference(probe.edgeEndAngle[e], candidate.edgeEndAngle[f]) <= ANGLE_TOLERANCE;
}

export function compareTemplates(probe: PreparedTemplate, candidate: PreparedTemplate): number {
  return bestPairing(probe, candidate, undefined);
}

/** A comparison with its evidence: the score and the minutiae pairs (probe index, candidate index) behind it. */
export interface ComparisonExplanation {
  score: number;
  pairs: [number, number][];
}

/** The same comparison as `compareTemplates`, also returning the pairing that scored best (for an examiner). */
export function explainComparison(probe: PreparedTemplate, candidate: PreparedTemplate): ComparisonExplanation {
  const pairs: [number, number][] = [];
  return { score: bestPairing(probe, candidate, pairs), pairs };
}

/** Grows a pairing from each candidate root and keeps the best score; `pairsOut` receives the best pairing. */
function bestPairing(probe: PreparedTemplate, candidate: PreparedTemplate, pairsOut: [number, number][] | undefined): number {
  const score = bestRootPairing(probe, candidate);
  if (pairsOut && score > 0) {
    for (let k = 0; k < bestCount; k++) pairsOut.push([bestOrder[k], bestPartner[bestOrder[k]]]);
    pairsOut.sort((a, b) => a[0] - b[0]);
  }
  return score;
}

/** The best root's score; its pairing is left in bestOrder / bestPartner / bestCount. */
function bestRootPairing(probe: PreparedTemplate, candidate: PreparedTemplate): number {
  if (probe.count < 3 || candidate.count < 3) return 0;
  ensureCapacity(probe.count, candidate.count);
  const roots = findRoots(probe, candidate);
  let best = 0;
  largestGrowth = 0;
  // A root that an earlier growth already paired the same way would only grow the same pairing.
  covered.fill(-1, 0, probe.count);
  for (let r = 0; r < roots.length; r++) {
    const rootProbe = roots[r] >>> 16;
    const rootCandidate = roots[r] & 0xffff;
    if (covered[rootProbe] === rootCandidate) continue;
    let score = grow(probe, candidate, rootProbe, rootCandidate, best);
    // The checks only lower a score (their weights are at most 1): make them only when it could
    // win and is evidence at all. Below LEAST_EVIDENCE_SCORE a score counts for nothing, checked
    // or not, and most impostor pairings are there: they are scaled as unchecked.
    if (score > best) score *= checkedWeight(probe, candidate, score);
    if (score > best) {
      best = score;
      bestCount = grownTail;
      bestOrder.set(queue.subarray(0, grownTail));
      bestPartner.set(pairedProbe.subarray(0, probe.count));
    }
    for (let i = 0; i < probe.count; i++) if (pairedProbe[i] >= 0) covered[i] = pairedProbe[i];
  }
  return best;
}

/**
 * The weight of the last growth's pairing: how alike the two prints' ridges flow under it, and how
 * well one rigid motion explains it, or NO_FLOW_SCALE when the flow cannot be checked (which
 * stands for both checks: the scale is fitted to comparisons that make neither).
 */
function checkedWeight(probe: PreparedTemplate, candidate: PreparedTemplate, score: number): number {
  if (score < LEAST_EVIDENCE_SCORE) return NO_FLOW_SCALE;
  const fit = pairingAlignment(probe, candidate, queue, pairedProbe, grownTail);
  const flow = ridgeFlowAgreement(probe, candidate, fit);
  return flow === undefined ? NO_FLOW_SCALE : flow * flow * rigidConsistency(grownTail, fit.residualSquares);
}

/**
 * Returns up to MAX_ROOTS (probe << 16 | candidate) pairs, most voted first (ties: lower probe
 * index, then lower candidate index), and leaves each candidate edge's agreeing probe edges in
 * agreeStart / agreeEdge.
 */
function findRoots(probe: PreparedTemplate, candidate: PreparedTemplate): number[] {
  const cc = candidate.count;
  const v = votes;
  v.fill(0, 0, probe.count * cc);
  const { cellStart, entries } = edgeIndexOf(probe);
  const pFrom = probe.edgeFrom;
  const pTo = probe.edgeTo;
  const cLength = candidate.edgeLength;
  const cStart = candidate.edgeStartAngle;
  const cEnd = candidate.edgeEndAngle;
  const cFrom = candidate.edgeFrom;
  const cTo = candidate.edgeTo;
  const pLength = probe.edgeLength;
  const pStart = probe.edgeStartAngle;
  const pEnd = probe.edgeEndAngle;
  const cCell = candidate.edgeCell;
  const candidateEdges = cLength.length;
  if (agreeStart.length < candidateEdges + 1) agreeStart = new Int32Array(2 * candidateEdges + 1);
  let agreed = 0;
  let rootableCount = 0;
  for (let f = 0; f < candidateEdges; f++) {
    agreeStart[f] = agreed;
    const cell = cCell[f];
    const end = cellStart[cell + 1];
    const length = cLength[f];
    const startAngle = cStart[f];
    const endAngle = cEnd[f];
    for (let k = cellStart[cell]; k < end; k++) {
      const e = entries[k];
      // edgesAgree, inlined: this loop runs for every candidate edge of every comparison.
      const pl = pLength[e];
      const dl = length - pl;
      const tolerance = LENGTH_TOLERANCE + LENGTH_TOLERANCE_RELATIVE * pl;
      if (dl > tolerance || dl < -tolerance) continue;
      if (angleDifference(pStart[e], startAngle) > ANGLE_TOLERANCE || angleDifference(pEnd[e], endAngle) > ANGLE_TOLERANCE) continue;
      if (agreed === agreeEdge.length) agreeEdge = grownInt32(agreeEdge);
      agreeEdge[agreed++] = e;
      const atFrom = pFrom[e] * cc + cFrom[f];
      const atTo = pTo[e] * cc + cTo[f];
      if (++v[atFrom] === 2) {
        if (rootableCount === rootable.length) rootable = grownInt32(rootable);
        rootable[rootableCount++] = atFrom;
      }
      if (++v[atTo] === 2) {
        if (rootableCount === rootable.length) rootable = grownInt32(rootable);
        rootable[rootableCount++] = atTo;
      }
    }
  }
  agreeStart[candidateEdges] = agreed;
  // Keep the most voted pairs; a pair needs two agreeing edges to be worth a growth. Among equal
  // votes the lower cell (probe index, then candidate index) goes first, as a scan of all would.
  const roots: number[] = [];
  const rootVotes: number[] = [];
  for (let r = 0; r < rootableCount; r++) {
    const k = rootable[r];
    const count = v[k];
    if (roots.length === MAX_ROOTS && !ranksBefore(count, k, rootVotes[MAX_ROOTS - 1], roots[MAX_ROOTS - 1])) continue;
    let at = Math.min(roots.length, MAX_ROOTS - 1);
    while (at > 0 && ranksBefore(count, k, rootVotes[at - 1], roots[at - 1])) {
      roots[at] = roots[at - 1];
      rootVotes[at] = rootVotes[at - 1];
      at--;
    }
    roots[at] = k;
    rootVotes[at] = count;
  }
  for (let r = 0; r < roots.length; r++) roots[r] = ((roots[r] / cc) << 16) | roots[r] % cc;
  return roots;
}

/** True when vote cell k with `count` votes ranks before cell `other` with `otherCount`. */
function ranksBefore(count: number, k: number, otherCount: number, other: number): boolean {
  return count > otherCount || (count === otherCount && k < other);
}

function grownInt32(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

/** Grows the pairing from one root and scores it; `toBeat` is the best score so far, which lets scoring stop early. */
function grow(probe: PreparedTemplate, candidate: PreparedTemplate, rootProbe: number, rootCandidate: number, toBeat: number): number {
  pairedProbe.fill(-1, 0, probe.count);
  pairedCandidate.fill(-1, 0, candidate.count);

  // The root's rigid alignment, used only to stop the growth drifting away.
  const rotation = candidate.angle[rootCandidate] - probe.angle[rootProbe];
  const root: Alignment = {
    cos: Math.cos(rotation),
    sin: Math.sin(rotation),
    px: probe.x[rootProbe],
    py: probe.y[rootProbe],
    cx: candidate.x[rootCandidate],
    cy: candidate.y[rootCandidate],
  };

  pairedProbe[rootProbe] = rootCandidate;
  pairedCandidate[rootCandidate] = rootProbe;
  let head = 0;
  let tail = 0;
  queue[tail++] = rootProbe;

  const cAdjStart = candidate.adjacencyStart;
  while (head < tail) {
    const pi = queue[head++];
    const ci = pairedProbe[pi];
    // Gather every agreeing edge pair out of (pi, ci), then accept the best-agreeing first.
    let proposalCount = 0;
    for (let b = cAdjStart[ci]; b < cAdjStart[ci + 1]; b++) {
      const f = candidate.adjacency[b];
      const cj = candidate.edgeTo[f];
      if (pairedCandidate[cj] !== -1) continue;
      for (let k = agreeStart[f]; k < agreeStart[f + 1]; k++) {
        const e = agreeEdge[k];
        if (probe.edgeFrom[e] !== pi) continue;
        const pj = probe.edgeTo[e];
        if (pairedProbe[pj] !== -1) continue;
        const length = probe.edgeLength[e];
        const error =
          Math.abs(candidate.edgeLength[f] - length) / (LENGTH_TOLERANCE + LENGTH_TOLERANCE_RELATIVE * length) +
          (angleDifference(probe.edgeStartAngle[e], candidate.edgeStartAngle[f]) +
            angleDifference(probe.edgeEndAngle[e], candidate.edgeEndAngle[f])) / ANGLE_TOLERANCE;
        proposalCount = propose(proposalCount, error, pj, cj);
      }
    }
    tail = acceptProposals(probe, candidate, proposalCount, tail, root);
  }
  if (tail < 3) return 0;
  if (tail >= MIN_EXTENDED_GROWTH && tail >= EXTEND_SHARE * largestGrowth) {
    largestGrowth = Math.max(largestGrowth, tail);
    tail = extendPairing(probe, candidate, tail);
  }
  grownTail = tail;
  return scorePairing(probe, candidate, tail, root, toBeat);
}

/**
 * Pairs the proposals, least error first, whose minutiae are both still free (and, given the
 * root's alignment, that do not drift too far from it); returns the new end of the queue.
 */
function acceptProposals(probe: PreparedTemplate, candidate: PreparedTemplate, proposalCount: number, tail: number, root?: Alignment): number {
  for (let taken = 0; taken < proposalCount; taken++) {
    const k = takeBestProposal(proposalCount);
    if (k < 0) break;
    const pj = proposals[k * 3 + 1];
    const cj = proposals[k * 3 + 2];
    if (pairedProbe[pj] !== -1 || pairedCandidate[cj] !== -1) continue;
    if (root) {
      const dx = probe.x[pj] - root.px;
      const dy = probe.y[pj] - root.py;
      const ex = root.cx + dx * root.cos + dy * root.sin - candidate.x[cj];
      const ey = root.cy - dx * root.sin + dy * root.cos - candidate.y[cj];
      const allowed = DRIFT_BASE + DRIFT_RELATIVE * Math.hypot(dx, dy);
      if (ex * ex + ey * ey > allowed * allowed) continue;
    }
    pairedProbe[pj] = cj;
    pairedCandidate[cj] = pj;
    queue[tail++] = pj;
  }
  return tail;
}

/**
 * Pairs minutiae the growth left out. Growth needs an edge both templates agree on, so a minutia
 * whose neighbours were missed or invented by the extractor stays unpaired even where the prints
 * overlap. Position alone still places it: next to a paired minutia, it should lie where that
 * pair predicts (the partner's position plus the offset, turned by the pairing's rotation). The
 * candidate's position grid limits the search to the few minutiae near each prediction.
 */
function extendPairing(probe: PreparedTemplate, candidate: PreparedTemplate, tail: number): number {
  const { cos, sin } = pairingAlignment(probe, candidate, queue, pairedProbe, tail);
  const turn = Math.atan2(sin, cos);
  let proposalCount = 0;
  for (let i = 0; i < probe.count; i++) {
    if (pairedProbe[i] !== -1) continue;
    // The nearest paired minutia anchors the prediction: distortion is smallest close to it.
    let anchor = -1;
    let nearest = EXTENSION_REACH * EXTENSION_REACH;
    for (let k = 0; k < tail; k++) {
      const j = queue[k];
      const ex = probe.x[i] - probe.x[j];
      const ey = probe.y[i] - probe.y[j];
      const distanceSquared = ex * ex + ey * ey;
      if (distanceSquared < nearest) {
        nearest = distanceSquared;
        anchor = j;
      }
    }
    if (anchor < 0) continue;
    const partner = pairedProbe[anchor];
    const dx = probe.x[i] - probe.x[anchor];
    const dy = probe.y[i] - probe.y[anchor];
    const qx = candidate.x[partner] + dx * cos + dy * sin;
    const qy = candidate.y[partner] - dx * sin + dy * cos;
    const qa = normalize(probe.angle[i] + turn);
    // The grid cells the circle of EXTENSION_DISTANCE around the predicted point reaches.
    const fromColumn = Math.max(0, Math.floor((qx - EXTENSION_DISTANCE - candidate.minX) / GRID_CELL));
    const toColumn = Math.min(candidate.gridColumns - 1, Math.floor((qx + EXTENSION_DISTANCE - candidate.minX) / GRID_CELL));
    const fromRow = Math.max(0, Math.floor((qy - EXTENSION_DISTANCE - candidate.minY) / GRID_CELL));
    const toRow = Math.min(candidate.gridRows - 1, Math.floor((qy + EXTENSION_DISTANCE - candidate.minY) / GRID_CELL));
    for (let row = fromRow; row <= toRow; row++) {
      for (let column = fromColumn; column <= toColumn; column++) {
        const cell = row * candidate.gridColumns + column;
        for (let g = candidate.gridStart[cell]; g < candidate.gridStart[cell + 1]; g++) {
          const j = candidate.gridEntries[g];
          if (pairedCandidate[j] !== -1) continue;
          const ex = candidate.x[j] - qx;
          const ey = candidate.y[j] - qy;
          const distanceSquared = ex * ex + ey * ey;
          if (distanceSquared > EXTENSION_DISTANCE * EXTENSION_DISTANCE) continue;
          const da = angleDifference(qa, candidate.angle[j]);
          if (da > EXTENSION_ANGLE) continue;
          proposalCount = propose(proposalCount, Math.sqrt(distanceSquared) / EXTENSION_DISTANCE + da / EXTENSION_ANGLE, i, j);
        }
      }
    }
  }
  return acceptProposals(probe, candidate, proposalCount, tail);
}

/** A rigid motion of the probe onto the candidate: the probe point (px, py) goes to (cx, cy), turned as in `grow`. */
interface Alignment {
  cos: number;
  sin: number;
  px: number;
  py: number;
  cx: number;
  cy: number;
}

/** A least-squares fit of a rigid motion to a pairing, and the sum of the squared distances it leaves. */
interface Fit extends Alignment {
  residualSquares: number;
}

/**
 * The rigid motion that best carries paired probe minutiae onto their partners (least squares):
 * the pairs are order[0 .. count) with partner[probe index] in the candidate.
 */
function pairingAlignment(probe: PreparedTemplate, candidate: PreparedTemplate, order: Int32Array, partner: Int32Array, count: number): Fit {
  let px = 0;
  let py = 0;
  let cx = 0;
  let cy = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k];
    const j = partner[i];
    px += probe.x[i];
    py += probe.y[i];
    cx += candidate.x[j];
    cy += candidate.y[j];
  }
  px /= count;
  py /= count;
  cx /= count;
  cy /= count;
  let dot = 0;
  let cross = 0;
  let spread = 0;
  for (let k = 0; k < count; k++) {
    const i = order[k];
    const j = partner[i];
    const ax = probe.x[i] - px;
    const ay = probe.y[i] - py;
    const bx = candidate.x[j] - cx;
    const by = candidate.y[j] - cy;
    dot += ax * bx + ay * by;
    cross += ay * bx - ax * by;
    spread += ax * ax + ay * ay + bx * bx + by * by;
  }
  const norm = Math.hypot(dot, cross);
  // The best rotation brings the two spreads together by 2·norm: what is left is the residual.
  const residualSquares = Math.max(0, spread - 2 * norm);
  // Pairs all at one point say nothing of the rotation: take none.
  return norm > 0 ? { cos: dot / norm, sin: cross / norm, px, py, cx, cy, residualSquares } : { cos: 1, sin: 0, px, py, cx, cy, residualSquares };
}

/**
 * How alike the two prints' ridges flow where the alignment lays the probe over the candidate:
 * the mean of cos 2Δ over the orientation blocks both cover (1 when every block agrees, 0 when
 * they cross at random). Undefined when a template has no orientation map or too little overlaps.
 */
function ridgeFlowAgreement(probe: PreparedTemplate, candidate: PreparedTemplate, { cos, sin, px, py, cx, cy }: Alignment): number | undefined {
  const otherSize = candidate.orientationBlockSize;
  if (probe.flowX.length === 0 || otherSize === 0) return undefined;
  // Orientation angles are in image coordinates, which `grow`'s turn moves by minus its angle;
  // a whole degree is precision enough for cos 2Δ, which a table then gives.
  const turn = Math.round((-Math.atan2(sin, cos) * 180) / Math.PI) + 360;
  const { flowX, flowY, flowAngle } = probe;
  const columns = candidate.orientationColumns;
  const rows = candidate.orientationRows;
  const other = candidate.orientation;
  let blocks = 0;
  let sum = 0;
  for (let k = 0; k < flowX.length; k++) {
    const dx = flowX[k] - px;
    const dy = flowY[k] - py;
    const column = Math.floor((cx + dx * cos + dy * sin) / otherSize);
    const row = Math.floor((cy - dx * sin + dy * cos) / otherSize);
    if (column < 0 || row < 0 || column >= columns || row >= rows) continue;
    const angle = other[row * columns + column];
    if (angle === NO_RIDGES) continue;
    blocks++;
    sum += COS_TWICE[(flowAngle[k] + turn - angle) % 180];
  }
  return blocks < MIN_FLOW_BLOCKS ? undefined : Math.max(0, sum / blocks);
}

/** Overlapping blocks (each about two ridge periods square, every other one sampled) below which the flow says too little. */
const MIN_FLOW_BLOCKS = 6;

/** cos 2Δ for Δ in whole degrees 0–179 (it repeats every 180°). */
const COS_TWICE = Float64Array.from({ length: 180 }, (_, degrees) => Math.cos((2 * degrees * Math.PI) / 180));

/** Minutiae of `from` that fall inside the bounding box of `to` once moved by the alignment. */
function minutiaeInOverlap(from: PreparedTemplate, to: PreparedTemplate, cos: number, sin: number, fx0: number, fy0: number, tx0: number, ty0: number): number {
  const { minX, maxX, minY, maxY } = to;
  let inside = 0;
  for (let i = 0; i < from.count; i++) {
    const dx = from.x[i] - fx0;
    const dy = from.y[i] - fy0;
    const x = tx0 + dx * cos + dy * sin;
    const y = ty0 - dx * sin + dy * cos;
    if (x >= minX - 8 && x <= maxX + 8 && y >= minY - 8 && y <= maxY + 8) inside++;
  }
  return inside;
}

/** Paired minutiae, the edges among them that both templates agree on, and coverage; at most `toBeat` if it cannot beat it. */
function scorePairing(probe: PreparedTemplate, candidate: PreparedTemplate, paired: number, { cos, sin, px, py, cx, cy }: Alignment, toBeat: number): number {
  let supportedEdges = 0;
  let typeAgreements = 0;
  for (let k = 0; k < paired; k++) {
    const pi = queue[k];
    const ci = pairedProbe[pi];
    if (probe.type[pi] === candidate.type[ci]) typeAgreements++;
    for (let a = probe.adjacencyStart[pi]; a < probe.adjacencyStart[pi + 1]; a++) {
      const e = probe.adjacency[a];
      const cj = pairedProbe[probe.edgeTo[e]];
      if (cj < 0) continue;
      for (let b = candidate.adjacencyStart[ci]; b < candidate.adjacencyStart[ci + 1]; b++) {
        const f = candidate.adjacency[b];
        if (candidate.edgeTo[f] !== cj) continue;
        if (edgesAgree(probe, e, candidate, f)) supportedEdges++;
        break;
      }
    }
  }
  const fraction = (paired / probe.count + paired / candidate.count) / 2;
  const evidence = paired + 0.5 * supportedEdges + 0.25 * typeAgreements + 20 * fraction * fraction;
  // Coverage can only lower the evidence: a pairing that cannot beat the best so far ends here.
  if (evidence <= toBeat) return evidence;
  const overlapProbe = minutiaeInOverlap(probe, candidate, cos, sin, px, py, cx, cy);
  const overlapCandidate = minutiaeInOverlap(candidate, probe, cos, -sin, cx, cy, px, py);
  // Share of the minutiae in the region both prints cover that the pairing explains: a genuine
  // partial overlap pairs most of them, a chance pairing few.
  const overlapFraction = Math.min(1, (2 * paired) / Math.max(6, overlapProbe + overlapCandidate));
  return evidence * (0.5 + 0.5 * overlapFraction);
}

/**
 * How well one rigid motion explains a pairing of `paired` minutiae that its least-squares fit
 * leaves `residualSquares` (summed squared distances) from their partners, as a weight in
 * (0, 1]. Skin stretches a few pixels between impressions, so a genuine pairing stays within
 * about RESIDUAL_EXPECTED of the rigid motion that best fits it; a chance pairing of two fingers,
 * grown edge by edge within the drift allowance, wanders further from any single motion (on the
 * FVC2002 sets, pairings of 8–11 minutiae: a median 4.4–4.9 px for genuine ones, 7.9–8.4 px for
 * impostors). The residual is a distance per pair, with the sum of squares shared over the
 * degrees of freedom (2 coordinates per pair, less the 3 of the motion), so that few pairs, which
 * any motion fits closely, are not favoured.
 *
 * How far a genuine pairing strays depends on how precisely the extractor places minutiae. It is
 * known for this engine's templates, and only they are judged: the weight is applied with the
 * ridge-flow check, which needs the orientation maps that only they carry. On the commercial ISO
 * templates of the FVC2002 sets, whose genuine pairings stray further, the same weight raised
 * DB1-B's EER from 1.78% to 2.66%.
 */
function rigidConsistency(paired: number, residualSquares: number): number {
  if (paired <= 3) return 1; // three pairs leave too few degrees of freedom to judge
  const residual = Math.sqrt((2 * residualSquares) / (2 * paired - 3));
  return residual <= RESIDUAL_EXPECTED ? 1 : 1 / (1 + (residual - RESIDUAL_EXPECTED) / RESIDUAL_SCALE);
}

/** Residual (pixels) a genuine pairing reaches from skin stretch alone, and how fast the weight falls beyond it. */
const RESIDUAL_EXPECTED = 4;
const RESIDUAL_SCALE = 8;
