import { parentPort } from 'node:worker_threads';
import { GalleryShard } from './gallery-shard.ts';
import type { GalleryRequest, GalleryResponse } from './gallery-messages.ts';

// A worker thread holding one share of a gallery and searching it on request.
const shard = new GalleryShard();
const port = parentPort!;

port.on('message', (request: GalleryRequest) => {
  if (request.kind === 'add') {
    shard.addChecked(request.fingers); // checked by the gallery before it was sent
    return;
  }
  if (request.kind === 'remove') {
    shard.remove(request.subjectId);
    return;
  }
  let response: GalleryResponse;
  try {
    if (request.kind === 'search') response = { kind: 'results', id: request.id, candidates: shard.search(request.probe, request.limit, request.minScore) };
    else if (request.kind === 'first-stage') response = { kind: 'first-stage', id: request.id, ranked: shard.firstStage(request.probe, request.limit) };
    else if (request.kind === 'rival') response = { kind: 'rival', id: request.id, rival: shard.rival(request.probe, request.score, request.except) };
    else {
      shard.compact();
      response = { kind: 'settled', id: request.id, bytes: shard.bytes };
    }
  } catch (error) {
    response = { kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(response);
});
