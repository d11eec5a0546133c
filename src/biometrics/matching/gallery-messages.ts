import type { Candidate, ProbeFinger } from './gallery-shard.ts';

/** Messages between a gallery and its worker threads; templates travel encoded (template-codec.ts). */
export type GalleryRequest =
  | { kind: 'add'; subjectIds: string[]; positions: number[]; templates: Uint8Array[] }
  | { kind: 'remove'; subjectId: string }
  | { kind: 'search'; id: number; probe: ProbeFinger[]; limit: number; minScore: number };

export type GalleryResponse = { kind: 'results'; id: number; candidates: Candidate[] } | { kind: 'failed'; id: number; message: string };
