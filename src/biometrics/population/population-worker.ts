import { parentPort } from 'node:worker_threads';
import { populationBatch } from './population-batch.ts';

// A worker thread making batches of population templates on request.
const port = parentPort!;
port.on('message', ({ first, count }: { first: number; count: number }) => {
  const batch = populationBatch(first, count);
  port.postMessage(batch, [batch.bytes.buffer as ArrayBuffer, batch.lengths.buffer as ArrayBuffer]);
});
