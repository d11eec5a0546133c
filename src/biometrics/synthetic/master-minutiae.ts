import type { Minutia } from '../template.ts';
import type { MasterFingerprint } from './master-fingerprint.ts';
import { silhouetteReach } from './silhouette.ts';

/**
 * The ground-truth minutiae of a master: its ridge map binarised, thinned to one-pixel skeletons
 * (Zhang–Suen), and every skeleton pixel with one neighbour (ending) or three branches
 * (bifurcation) taken, away from the finger's outline where ridges are cut by the silhouette.
 * Directions follow the template convention (ISO/IEC 19794-2): an ending points back along its
 * ridge, a bifurcation into the valley between its two branches; angle θ with direction vector
 * (cos θ, −sin θ) in pixel coordinates.
 */
const BORDER_REACH = 0.9;
/** Skeleton steps followed to measure a branch's direction. */
const TRACE_STEPS = 9;
/** Two minutiae closer than this are a thinning artefact (a spur or a hole), not two minutiae. */
const MIN_SEPARATION = 6;

const NEIGHBOURS: readonly (readonly [number, number])[] = [[1, 0], [1, -1], [0, -1], [-1, -1], [-1, 0], [-1, 1], [0, 1], [1, 1]];

export function masterMinutiae(master: MasterFingerprint): Minutia[] {
  const { width, height, ridges, silhouette } = master;
  const skeleton = new Uint8Array(width * height);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) if (ridges[y * width + x] > 0) skeleton[y * width + x] = 1;
  }
  thin(skeleton, width, height);

  const found: Minutia[] = [];
  for (let y = 2; y < height - 2; y++) {
    for (let x = 2; x < width - 2; x++) {
      if (!skeleton[y * width + x]) continue;
      const crossings = crossingNumber(skeleton, width, x, y);
      if (crossings !== 1 && crossings !== 3) continue;
      if (silhouetteReach(silhouette, x, y) > BORDER_REACH) continue;
      const branches = branchDirections(skeleton, width, height, x, y);
      if (crossings === 1 && branches.length >= 1) {
        const [dx, dy] = branches[0];
        found.push({ x, y, angle: isoAngle(dx, dy), type: 'ending', quality: 100 });
      } else if (crossings === 3 && branches.length === 3) {
        // The two branches closest in direction enclose the valley the bifurcation points into.
        let best = [0, 1];
        let bestDot = -Infinity;
        for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
          const dot = branches[a][0] * branches[b][0] + branches[a][1] * branches[b][1];
          if (dot > bestDot) {
            bestDot = dot;
            best = [a, b];
          }
        }
        const dx = branches[best[0]][0] + branches[best[1]][0];
        const dy = branches[best[0]][1] + branches[best[1]][1];
        found.push({ x, y, angle: isoAngle(dx, dy), type: 'bifurcation', quality: 100 });
      }
    }
  }
  return found.filter((m) => !found.some((other) => other !== m && Math.hypot(other.x - m.x, other.y - m.y) < MIN_SEPARATION));
}

function isoAngle(dx: number, dy: number): number {
  const angle = Math.atan2(-dy, dx);
  return angle < 0 ? angle + 2 * Math.PI : angle;
}

/** Number of 0→1 transitions around the 8-neighbourhood: 1 at an ending, 3 at a bifurcation. */
function crossingNumber(skeleton: Uint8Array, width: number, x: number, y: number): number {
  let transitions = 0;
  for (let k = 0; k < 8; k++) {
    const [ax, ay] = NEIGHBOURS[k];
    const [bx, by] = NEIGHBOURS[(k + 1) % 8];
    if (!skeleton[(y + ay) * width + x + ax] && skeleton[(y + by) * width + x + bx]) transitions++;
  }
  return transitions;
}

/** Unit vectors from (x, y) to where each skeleton branch leaving it is TRACE_STEPS further on. */
function branchDirections(skeleton: Uint8Array, width: number, height: number, x: number, y: number): [number, number][] {
  const directions: [number, number][] = [];
  const visited = new Set<number>([y * width + x]);
  // Branch starts: neighbours that begin a run (4-neighbours preferred over the diagonal next to them).
  const starts: number[] = [];
  for (let k = 0; k < 8; k++) {
    const [dx, dy] = NEIGHBOURS[k];
    const i = (y + dy) * width + x + dx;
    if (!skeleton[i]) continue;
    const [px, py] = NEIGHBOURS[(k + 7) % 8];
    if (skeleton[(y + py) * width + x + px]) continue; // same run as the previous neighbour
    starts.push(i);
  }
  for (const start of starts) visited.add(start);
  for (const start of starts) {
    let current = start;
    for (let step = 1; step < TRACE_STEPS; step++) {
      const cx = current % width;
      const cy = (current - cx) / width;
      let advanced = false;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = cx + dx;
        const ny = cy + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const i = ny * width + nx;
        if (skeleton[i] && !visited.has(i)) {
          visited.add(i);
          current = i;
          advanced = true;
          break;
        }
      }
      if (!advanced) break;
    }
    const ex = (current % width) - x;
    const ey = Math.floor(current / width) - y;
    const length = Math.hypot(ex, ey) || 1;
    directions.push([ex / length, ey / length]);
  }
  return directions;
}

/** Zhang–Suen thinning, in place: ridges become one-pixel, 8-connected skeletons. */
function thin(image: Uint8Array, width: number, height: number): void {
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (let phase = 0; phase < 2; phase++) {
      remove.length = 0;
      for (let y = 1; y < height - 1; y++) {
        for (let x = 1; x < width - 1; x++) {
          const i = y * width + x;
          if (!image[i]) continue;
          const p2 = image[i - width];
          const p3 = image[i - width + 1];
          const p4 = image[i + 1];
          const p5 = image[i + width + 1];
          const p6 = image[i + width];
          const p7 = image[i + width - 1];
          const p8 = image[i - 1];
          const p9 = image[i - width - 1];
          const count = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9;
          if (count < 2 || count > 6) continue;
          const transitions =
            (+(!p2 && p3)) + (+(!p3 && p4)) + (+(!p4 && p5)) + (+(!p5 && p6)) + (+(!p6 && p7)) + (+(!p7 && p8)) + (+(!p8 && p9)) + (+(!p9 && p2));
          if (transitions !== 1) continue;
          if (phase === 0 ? p2 * p4 * p6 === 0 && p4 * p6 * p8 === 0 : p2 * p4 * p8 === 0 && p2 * p6 * p8 === 0) remove.push(i);
        }
      }
      for (const i of remove) image[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
}
