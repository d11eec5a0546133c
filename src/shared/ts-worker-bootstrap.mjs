// Worker-thread entry for TypeScript worker modules: registers the tsx loader inside the new
// isolate (loaders are not inherited by workers), then loads the module it was asked to run.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__concordWorkerEntry);
