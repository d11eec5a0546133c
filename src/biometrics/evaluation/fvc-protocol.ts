/**
 * The FVC evaluation protocol over a set of impressions named `<finger>_<impression>`: every pair
 * of impressions of the same finger is one genuine comparison, every pair of impressions of
 * different fingers one impostor comparison (all of them, not only first impressions, so that low
 * false-match rates can be estimated).
 */
export interface Impression {
  finger: string;
  impression: string;
}

export interface ComparisonPair {
  a: number;
  b: number;
  genuine: boolean;
}

const FVC_NAME = /^([^_/\\]+)_([^_./\\]+)\.(tif|tiff|png|bmp|wsq|jpg|jpeg)$/i;

export function parseFvcName(fileName: string): Impression | undefined {
  const match = FVC_NAME.exec(fileName);
  return match ? { finger: match[1], impression: match[2] } : undefined;
}

export function fvcPairs(impressions: readonly Impression[]): ComparisonPair[] {
  const pairs: ComparisonPair[] = [];
  for (let a = 0; a < impressions.length; a++) {
    for (let b = a + 1; b < impressions.length; b++) {
      pairs.push({ a, b, genuine: impressions[a].finger === impressions[b].finger });
    }
  }
  return pairs;
}
