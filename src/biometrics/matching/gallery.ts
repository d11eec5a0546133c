import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../shared/worker-thread.ts';
import type { FingerprintTemplate } from '../template.ts';
import { checkTemplate, encodeTemplate } from '../template-codec.ts';
import { checkGalleryFits, galleryMemoryLimit } from './gallery-memory.ts';
import { type Candidate, type FirstStageCandidate, GalleryShard, insertRanked, type ProbeFinger } from './gallery-shard.ts';
import type { GalleryRequest, GalleryResponse } from './gallery-messages.ts';
import { isPreparedTemplate, prepareTemplate, type PreparedTemplate } from './prepared-template.ts';
import { TemplateBatch } from './template-batch.ts';

export type { Candidate, FirstStageCandidate } from './gallery-shard.ts';

/** Templates sent to a worker in one message while loading. */
const ADD_BATCH = 2000;

interface WorkerShard {
  worker: Worker;
  pending: TemplateBatch;
}

/**
 * An in-memory gallery of finger templates for 1:N identification. Subjects are spread over
 * worker threads (all fingers of one subject in the same worker, so fusion needs no merging of
 * partial scores); a search runs on every worker at once and the ranked lists are merged.
 * With `workers: 0` everything runs in the caller's thread.
 */
export class FingerprintGallery {
  private readonly local?: GalleryShard;
  private readonly shards: WorkerShard[] = [];
  private readonly waiting = new Map<number, { remaining: number; results: GalleryResponse[]; resolve: (r: GalleryResponse[]) => void; reject: (e: Error) => void }>();
  private nextSearch = 1;
  /** Finger templates per subject, to keep the size without asking the workers. */
  private readonly fingersOf = new Map<string, number>();
  private fingers = 0;
  /** Why the gallery can no longer answer: a worker failed or stopped, and its share of the fingers with it. */
  private broken?: Error;
  private closing = false;

  private readonly memoryLimit: number;

  /** `memoryLimitBytes`: the allowance a finger may not take the gallery over (default: galleryMemoryLimit()). */
  constructor(options: { workers?: number; memoryLimitBytes?: number } = {}) {
    const workers = options.workers ?? availableParallelism();
    this.memoryLimit = options.memoryLimitBytes ?? galleryMemoryLimit();
    if (workers <= 0) {
      this.local = new GalleryShard();
      return;
    }
    for (let k = 0; k < workers; k++) {
      const worker = startWorker(new URL('./gallery-worker.ts', import.meta.url));
      worker.on('message', (response: GalleryResponse) => this.receive(response));
      worker.on('error', (error) => this.failAll(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.failAll(new Error(`gallery worker ${k} stopped (exit code ${code}); its fingers can no longer be searched`));
      });
      this.shards.push({ worker, pending: new TemplateBatch(ADD_BATCH) });
    }
  }

  add(subjectId: string, position: number, template: FingerprintTemplate): void {
    this.addEncoded(subjectId, position, encodeTemplate(template));
  }

  /**
   * Adds a template already encoded (template-codec.ts), as a loader holds it: the gallery keeps
   * that form, so nothing is encoded again. A template that fails its checks (a TEMPLATE_* error)
   * is refused here, in the caller's thread, before anything of it is held; so is a finger that
   * would take the gallery past its memory allowance (GALLERY_TOO_LARGE).
   */
  addEncoded(subjectId: string, position: number, encoded: Uint8Array): void {
    checkGalleryFits(this.fingers + 1, this.memoryLimit);
    if (this.local) this.local.add(subjectId, position, encoded);
    else checkTemplate(encoded);
    this.fingers++;
    this.fingersOf.set(subjectId, (this.fingersOf.get(subjectId) ?? 0) + 1);
    if (this.local) return;
    // Buffered: templates travel to the workers in batches, before the next search.
    const shard = this.shards[shardOf(subjectId, this.shards.length)];
    shard.pending.push(subjectId, position, encoded);
    if (shard.pending.full) this.flush(shard);
  }

  remove(subjectId: string): void {
    this.fingers -= this.fingersOf.get(subjectId) ?? 0;
    this.fingersOf.delete(subjectId);
    if (this.local) {
      this.local.remove(subjectId);
      return;
    }
    const shard = this.shards[shardOf(subjectId, this.shards.length)];
    this.flush(shard); // messages stay in order: pending adds land before the removal
    shard.worker.postMessage({ kind: 'remove', subjectId } satisfies GalleryRequest);
  }

  /** Finger templates held. */
  get size(): number {
    return this.fingers;
  }

  async search(
    probe: { position: number; template: FingerprintTemplate | PreparedTemplate }[],
    options: { limit?: number; minScore?: number } = {},
  ): Promise<Candidate[]> {
    const limit = options.limit ?? 10;
    const minScore = options.minScore ?? 0;
    // A template given prepared has lost its quality: its fingers vote in the probe's order.
    const prepared: ProbeFinger[] = probe.map((f) =>
      isPreparedTemplate(f.template) ? { position: f.position, template: f.template } : { position: f.position, template: prepareTemplate(f.template), quality: f.template.quality },
    );
    if (this.local) return this.local.search(prepared, limit, minScore);

    const responses = await this.ask((id) => ({ kind: 'search', id, probe: prepared, limit, minScore }));
    const merged: Candidate[] = [];
    // Each worker counted its own subjects; the search compared the probe with all of them.
    const searched = this.fingersOf.size;
    for (const response of responses) if (response.kind === 'results') for (const candidate of response.candidates) insertRanked(merged, { ...candidate, searched }, limit);
    return merged;
  }

  /** The first stage's ranking of subjects for one probe finger (before the full matcher), merged over the workers: for measuring its recall. */
  async firstStage(probe: { position: number; template: FingerprintTemplate | PreparedTemplate }, limit: number): Promise<FirstStageCandidate[]> {
    const finger = preparedFinger(probe);
    const lists = this.local ? [this.local.firstStage(finger, limit)] : (await this.ask((id) => ({ kind: 'first-stage', id, probe: finger, limit }))).map((r) => (r.kind === 'first-stage' ? r.ranked : []));
    // Ties by subject, not by which worker answered first: the same search ranks alike every time.
    return lists.flat().sort((a, b) => b.score - a.score || (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : 0)).slice(0, limit);
  }

  /**
   * A finger of another subject than `except` scoring at least `score` with the probe finger, from
   * an exhaustive search of every worker (GalleryShard.rival). What counts is whether there is one:
   * when several workers find one, which of them is returned depends on which answered first.
   */
  async rival(probe: { position: number; template: FingerprintTemplate | PreparedTemplate }, score: number, except: string): Promise<FirstStageCandidate | undefined> {
    const finger = preparedFinger(probe);
    if (this.local) return this.local.rival(finger, score, except);
    const responses = await this.ask((id) => ({ kind: 'rival', id, probe: finger, score, except }));
    return responses.flatMap((r) => (r.kind === 'rival' && r.rival ? [r.rival] : []))[0];
  }

  /**
   * Waits until every template added so far is held and indexed, and merges the index into one
   * segment (call it after a bulk load); returns the bytes held for search (templates and index).
   */
  async settled(): Promise<number> {
    if (this.local) {
      this.local.compact();
      return this.local.bytes;
    }
    const responses = await this.ask((id) => ({ kind: 'settle', id }));
    return responses.reduce((sum, r) => sum + (r.kind === 'settled' ? r.bytes : 0), 0);
  }

  /** Sends a request to every worker (after the adds waiting for it) and gathers their answers. */
  private ask(request: (id: number) => GalleryRequest): Promise<GalleryResponse[]> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextSearch++;
    return new Promise<GalleryResponse[]>((resolve, reject) => {
      this.waiting.set(id, { remaining: this.shards.length, results: [], resolve, reject });
      for (const shard of this.shards) {
        this.flush(shard);
        shard.worker.postMessage(request(id));
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.shards.map((s) => s.worker.terminate()));
    this.shards.length = 0;
  }

  private flush(shard: WorkerShard): void {
    if (shard.pending.size === 0) return;
    const { fingers, transfer } = shard.pending.take();
    shard.worker.postMessage({ kind: 'add', fingers } satisfies GalleryRequest, transfer);
  }

  private receive(response: GalleryResponse): void {
    const entry = this.waiting.get(response.id);
    if (!entry) return;
    if (response.kind === 'failed') {
      this.waiting.delete(response.id);
      entry.reject(new Error(`gallery search failed in a worker: ${response.message}`));
      return;
    }
    entry.results.push(response);
    if (--entry.remaining === 0) {
      this.waiting.delete(response.id);
      entry.resolve(entry.results);
    }
  }

  private failAll(error: Error): void {
    this.broken ??= error;
    for (const [id, entry] of this.waiting) {
      this.waiting.delete(id);
      entry.reject(error);
    }
  }
}

/** A probe finger with its template prepared, unless it came so. */
function preparedFinger(probe: { position: number; template: FingerprintTemplate | PreparedTemplate }): ProbeFinger {
  return { position: probe.position, template: isPreparedTemplate(probe.template) ? probe.template : prepareTemplate(probe.template) };
}

/** Stable assignment of a subject to a worker (FNV-1a hash of its id). */
function shardOf(subjectId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subjectId.length; i++) hash = Math.imul(hash ^ subjectId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % shards;
}
