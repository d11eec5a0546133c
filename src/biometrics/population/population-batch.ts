import { encodeTemplate } from '../template-codec.ts';
import { populationTemplate } from './population-template.ts';

/** Encoded templates of fingers `first` … `first + count − 1`, packed end to end, with each one's length. */
export interface PopulationBatch {
  first: number;
  bytes: Uint8Array;
  lengths: Uint32Array;
}

export function populationBatch(first: number, count: number): PopulationBatch {
  const encoded = Array.from({ length: count }, (_, k) => encodeTemplate(populationTemplate(first + k)));
  const bytes = new Uint8Array(encoded.reduce((sum, e) => sum + e.length, 0));
  const lengths = new Uint32Array(count);
  let at = 0;
  encoded.forEach((e, k) => {
    bytes.set(e, at);
    at += e.length;
    lengths[k] = e.length;
  });
  return { first, bytes, lengths };
}

/** The templates of a batch, as views into its bytes. */
export function batchTemplates(batch: PopulationBatch): Uint8Array[] {
  const templates: Uint8Array[] = [];
  let at = 0;
  for (const length of batch.lengths) {
    templates.push(batch.bytes.subarray(at, at + length));
    at += length;
  }
  return templates;
}
