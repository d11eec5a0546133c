import type { Candidate, FirstStageCandidate, ProbeFinger } from './gallery-shard.ts';
import type { PackedFingers } from './template-batch.ts';

/** Messages between a gallery and its worker threads; templates travel encoded (template-codec.ts), packed (template-batch.ts). */
export type GalleryRequest =
  | { kind: 'add'; fingers: PackedFingers }
  | { kind: 'remove'; subjectId: string }
  | { kind: 'search'; id: number; probe: ProbeFinger[]; limit: number; minScore: number }
  | { kind: 'first-stage'; id: number; probe: ProbeFinger; limit: number }
  | { kind: 'rival'; id: number; probe: ProbeFinger; score: number; except: string }
  | { kind: 'settle'; id: number };

export type GalleryResponse =
  | { kind: 'results'; id: number; candidates: Candidate[] }
  | { kind: 'first-stage'; id: number; ranked: FirstStageCandidate[] }
  | { kind: 'rival'; id: number; rival?: FirstStageCandidate }
  | { kind: 'settled'; id: number; bytes: number }
  | { kind: 'failed'; id: number; message: string };
