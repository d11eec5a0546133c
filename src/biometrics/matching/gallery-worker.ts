import { parentPort } from 'node:worker_threads';
import { GalleryShard } from './gallery-shard.ts';
import type { GalleryRequest, GalleryResponse } from './gallery-messages.ts';

// A worker thread holding one share of a gallery and searching it on request.
const shard = new GalleryShard();
const port = parentPort!;

port.on('message', (request: GalleryRequest) => {
  switch (request.kind) {
    case 'add':
      for (let k = 0; k < request.subjectIds.length; k++) shard.add(request.subjectIds[k], request.positions[k], request.templates[k]);
      break;
    case 'remove':
      shard.remove(request.subjectId);
      break;
    case 'search': {
      let response: GalleryResponse;
      try {
        response = { kind: 'results', id: request.id, candidates: shard.search(request.probe, request.limit, request.minScore) };
      } catch (error) {
        response = { kind: 'failed', id: request.id, message: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(response);
      break;
    }
  }
});
