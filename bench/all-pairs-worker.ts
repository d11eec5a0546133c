import { parentPort, workerData } from 'node:worker_threads';
import { allPairsPerSecond } from './all-pairs.ts';

// The all-pairs timing in a thread of its own, as the gallery's search workers run comparisons.
parentPort!.postMessage(allPairsPerSecond(workerData.prepared));
