/**
 * The fixed WSQ decomposition (FBI WSQ spec v3.1, §"wavelet decomposition"): which rectangles the
 * two-dimensional transform splits, in which order, and where each of the 64 subbands lies in
 * the transformed plane. Everything follows from one rule applied to one tree shape:
 *
 *   A split of a region filters its rows then its columns and stores four quarters
 *   [top-left, top-right, bottom-left, bottom-right]. Along an axis the lowpass half has
 *   ceil(n/2) samples and the highpass half floor(n/2). A region that is itself a top-right
 *   (bottom-left) quarter of its parent is "spectrally inverted" along x (y): its highpass half
 *   is stored first. The bottom-right quarter is inverted along both axes.
 *
 * The shape below is the standard's: the level-1 lowpass quarter is split four more times in its
 * low corner, its two mixed quarters are split twice, the level-1 mixed quarters once, and the
 * level-1 diagonal quarter (subbands 60–63) is never coded.
 */

export interface Region {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** A region the transform splits into four, with its spectral-inversion flags. */
export interface SplitRegion extends Region {
  readonly invertX: boolean;
  readonly invertY: boolean;
  /** Its bottom-right quarter is never coded, so it is all zeros when decoding. */
  readonly diagonalDiscarded?: boolean;
}

export interface WsqLayout {
  /** Regions in the order the forward transform splits them (parents before children). */
  readonly splits: readonly SplitRegion[];
  /** The 60 coded subbands, in the order their coefficients appear in the stream. */
  readonly subbands: readonly Region[];
}

/** Subbands 0–18 form block 1, 19–51 block 2, 52–59 block 3; 60–63 are never transmitted. */
export const BLOCK_STARTS = [0, 19, 52] as const;
export const CODED_SUBBANDS = 60;
export const TABLE_SUBBANDS = 64;

type Shape = 'subband' | 'discarded' | readonly [Shape, Shape, Shape, Shape];

const S: Shape = 'subband';
const FOUR: Shape = [S, S, S, S];
const SIXTEEN: Shape = [FOUR, FOUR, FOUR, FOUR];
const WSQ_SHAPE: Shape = [
  [
    [[FOUR, S, S, S], FOUR, FOUR, FOUR], // subbands 0–18
    SIXTEEN, // 19–34
    SIXTEEN, // 35–50
    S, // 51
  ],
  FOUR, // 52–55
  FOUR, // 56–59
  'discarded', // 60–63
];

const cache = new Map<string, WsqLayout>();

export function wsqLayout(width: number, height: number): WsqLayout {
  const key = `${width}x${height}`;
  let layout = cache.get(key);
  if (!layout) {
    const splits: SplitRegion[] = [];
    const subbands: Region[] = [];
    walk(WSQ_SHAPE, { x: 0, y: 0, width, height, invertX: false, invertY: false }, splits, subbands);
    layout = { splits, subbands };
    if (cache.size > 64) cache.clear();
    cache.set(key, layout);
  }
  return layout;
}

function walk(shape: Shape, region: SplitRegion, splits: SplitRegion[], subbands: Region[]): void {
  if (shape === 'discarded') return;
  if (shape === 'subband') {
    subbands.push({ x: region.x, y: region.y, width: region.width, height: region.height });
    return;
  }
  splits.push(shape[3] === 'discarded' ? { ...region, diagonalDiscarded: true } : region);
  const firstWidth = region.invertX ? Math.floor(region.width / 2) : Math.ceil(region.width / 2);
  const firstHeight = region.invertY ? Math.floor(region.height / 2) : Math.ceil(region.height / 2);
  const { x, y } = region;
  const restWidth = region.width - firstWidth;
  const restHeight = region.height - firstHeight;
  const quarters: SplitRegion[] = [
    { x, y, width: firstWidth, height: firstHeight, invertX: false, invertY: false },
    { x: x + firstWidth, y, width: restWidth, height: firstHeight, invertX: true, invertY: false },
    { x, y: y + firstHeight, width: firstWidth, height: restHeight, invertX: false, invertY: true },
    { x: x + firstWidth, y: y + firstHeight, width: restWidth, height: restHeight, invertX: true, invertY: true },
  ];
  for (let i = 0; i < 4; i++) walk(shape[i], quarters[i], splits, subbands);
}

/** Index range [start, end) of the subbands of block 0, 1 or 2. */
export function blockSubbands(block: number): [number, number] {
  return [BLOCK_STARTS[block], block + 1 < BLOCK_STARTS.length ? BLOCK_STARTS[block + 1] : CODED_SUBBANDS];
}
